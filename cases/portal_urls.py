"""The enterprise portal (/portal/): registration, the enterprise's matters, the federation's confirmations."""

from django.urls import path

from .views import portal_identity as identity
from .views import portal_matters as matters

app_name = "portal"
urlpatterns = [
    path("", matters.home, name="enterprise_home"),
    path("register/", identity.register, name="enterprise_register"),
    path("register/verify/", identity.register_verify, name="enterprise_register_verify"),
    path("register/resend/", identity.register_resend, name="enterprise_register_resend"),
    path("invitations/<str:token>/", identity.invitation_accept, name="invitation_accept"),
    path("matters/new/", matters.matter_create, name="matter_create"),
    path("matters/<int:pk>/", matters.matter_detail, name="matter_detail"),
    path("matters/<int:pk>/edit/", matters.matter_edit, name="matter_edit"),
    path("matters/<int:pk>/received/", matters.matter_acknowledgement, name="matter_acknowledgement"),
    path("matters/<int:pk>/material/", matters.matter_supply, name="matter_supply"),
    path("matters/<int:pk>/withdraw/", matters.matter_withdraw, name="matter_withdraw"),
    path("matters/<int:pk>/messages/", matters.matter_message, name="matter_message"),
    path("matters/<int:pk>/rating/", matters.matter_rate, name="matter_rate"),
    path("matters/<int:pk>/files/<int:file_pk>/", matters.matter_file, name="matter_file"),
    path("federation/registrations/", identity.membership_list, name="membership_list"),
    path("federation/registrations/<int:pk>/", identity.membership_detail, name="membership_detail"),
    path("federation/registrations/<int:pk>/act/<slug:action>/", identity.membership_act, name="membership_act"),
]
