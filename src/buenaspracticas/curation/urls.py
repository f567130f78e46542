"""Pages of this feature, included by buenaspracticas.urls under the language prefix."""

urlpatterns: list = []
