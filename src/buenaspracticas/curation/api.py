"""API operations of this feature. They register on the shared `api` object (same router as the read
routes, so one path can carry GET and PATCH); buenaspracticas.api.routes imports this module last."""

from buenaspracticas.api.routes import api  # noqa: F401
