"""The import upload form. Parsing only: the file is read and checked by orders.services.imports."""

from django import forms
from django.conf import settings

from oms.models import Storefront


class ImportUploadForm(forms.Form):
    storefront = forms.ModelChoiceField(
        label="Storefront", queryset=Storefront.objects.filter(is_active=True), empty_label=None,
        help_text="The orders are this storefront's: an external_ref it has already is skipped.",
    )  # fmt: skip
    file = forms.FileField(label="CSV or XLSX file", help_text="The columns of the template; one row per order line.")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.OMS_IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"At most {settings.OMS_IMPORT_MAX_BYTES:,} bytes; this file has {upload.size:,}."
            )
        return upload
