from django.forms.renderers import TemplatesSetting


class NHSFormRenderer(TemplatesSetting):
    """Render every form, ours and allauth's, with NHS.UK frontend markup."""

    form_template_name = "includes/forms/form.html"
    field_template_name = "includes/forms/field.html"
