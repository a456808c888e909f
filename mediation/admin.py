"""The administrator sets each mechanism's working-day limits for recommendations and check-ups."""

from django.contrib import admin

from .models import ServiceRules


@admin.register(ServiceRules)
class ServiceRulesAdmin(admin.ModelAdmin):
    list_display = ["mechanism", "decision_working_days", "assign_working_days", "report_working_days"]
    list_select_related = ["mechanism"]
