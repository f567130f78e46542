"""Pages of this feature, included by buenaspracticas.urls under the language prefix."""

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from buenaspracticas.curation import views

app_name = "curation"
urlpatterns = [
    path(
        "cuenta/entrar/",
        auth_views.LoginView.as_view(
            template_name="curation/login.html", next_page=reverse_lazy("curation:my_practices")
        ),
        name="login",
    ),
    path("cuenta/salir/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("cuenta/", views.account_home, name="account"),
    path("cuenta/tokens/", views.tokens, name="tokens"),
    path("cuenta/tokens/revocar/", views.token_revoke, name="token_revoke"),
    path("cuenta/contrasena/", views.PasswordChange.as_view(), name="password_change"),
    path("cuenta/practicas/", views.my_practices, name="my_practices"),
    path("cuenta/practicas/nueva/", views.practice_new, name="practice_new"),
    path("cuenta/practicas/<slug:practice_id>/", views.workspace, name="workspace"),
    path("cuenta/practicas/<slug:practice_id>/editar/", views.practice_edit, name="practice_edit"),
    path("cuenta/practicas/<slug:practice_id>/transicion/", views.transition, name="transition"),
    path("cuenta/practicas/<slug:practice_id>/mensaje/", views.message_post, name="message"),
    path("cuenta/practicas/<slug:practice_id>/valoracion/", views.assess, name="assess"),
    path("practicas/<slug:practice_id>/historial/", views.history, name="history"),
    path("cuenta/historial/<int:entry_id>/restaurar/", views.restore, name="restore"),
    path("cuenta/estados/<str:code>/cifras/", views.state_figures, name="state_figures"),
    path("convocatorias/", views.call_list, name="call_list"),
    path("convocatorias/nueva/", views.call_new, name="call_new"),
    path("convocatorias/<int:call_id>/", views.call_detail, name="call_detail"),
]
