"""Bulk import of CPTS from a file: upload, line-by-line report, then confirmation.

The preview writes nothing; the uploaded file waits in the session until confirmed, and is
validated again at that moment (the database may have changed in between).
"""

import hashlib
from pathlib import PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from interurps.accounts import perms
from interurps.core import french
from interurps.core.forms import BoundedForm
from interurps.cpts import importer
from interurps.geography.models import Region

SESSION_KEY = "cpts_import"
MAX_UPLOAD_BYTES = 2 * 1024 * 1024


class CptsImportForm(BoundedForm):
    file = forms.FileField(
        label="Fichier CSV ou Excel (.xlsx)",
        help_text="2 Mo au plus. Première ligne : les en-têtes de colonnes du modèle.",
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        error_messages={
            "required": "Choisissez un fichier à importer.",
            "empty": "Le fichier envoyé est vide.",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = PurePath(upload.name).suffix.lower()
        if extension not in importer.SUPPORTED_EXTENSIONS:
            raise forms.ValidationError(
                "Format non pris en charge : envoyez un fichier .csv ou .xlsx "
                "(enregistrez les anciens fichiers .xls au format .xlsx)."
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"Le fichier pèse {upload.size / 1024 / 1024:.1f} Mo : 2 Mo au plus."
            )
        return upload


def _digest(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _template_response(region) -> HttpResponse:
    response = HttpResponse(importer.template_csv(region), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="modele_import_cpts_{region.code}.csv"'
    return response


@login_required
def cpts_import(request, region_code):
    region = get_object_or_404(Region, code=region_code)
    if not perms.can_import_cpts(request.user, region):
        raise PermissionDenied
    if request.method == "GET" and request.GET.get("modele"):
        return _template_response(region)

    context = {"region": region, "columns": importer.COLUMNS, "report": None}
    if request.method == "POST" and request.POST.get("confirm") == "1":
        return _confirm(request, region, context)

    is_post = request.method == "POST"
    form = CptsImportForm(request.POST, request.FILES) if is_post else CptsImportForm()
    if is_post and form.is_valid():
        upload = form.cleaned_data["file"]
        content = upload.read()
        report = importer.validate_file(upload.name, content, region=region)
        context.update(report=report, filename=upload.name)
        if report.is_valid:
            request.session[SESSION_KEY] = {
                "region": region.code,
                "filename": upload.name,
                "content": importer.encode_content(content),
            }
            context["digest"] = _digest(content)
        else:
            request.session.pop(SESSION_KEY, None)
    context["form"] = form
    return render(request, "cpts/cpts_import.html", context)


def _confirm(request, region, context):
    stored = request.session.get(SESSION_KEY)
    content = importer.decode_content(stored["content"]) if stored else b""
    if (
        not stored
        or stored.get("region") != region.code
        or request.POST.get("digest") != _digest(content)
    ):
        messages.error(
            request, "Aucun fichier en attente d'import : envoyez-le de nouveau pour le vérifier."
        )
        return redirect(request.path)
    report = importer.validate_file(stored["filename"], content, region=region)
    if report.is_valid:
        try:
            created = importer.import_cpts(report, region=region, by=request.user)
        except (ValidationError, ValueError) as exc:
            error_messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            report.file_errors.append(
                "L'import a été annulé, rien n'a été enregistré : " + " ".join(error_messages)
            )
        else:
            request.session.pop(SESSION_KEY, None)
            messages.success(
                request,
                f"{french.count(created, 'CPTS importée,CPTS importées')} depuis le fichier "
                f"« {stored['filename']} ».",
            )
            return redirect("cpts:list", region.code)
    request.session.pop(SESSION_KEY, None)
    messages.error(
        request,
        "Le fichier n'est plus valide (la base a changé depuis la vérification) : "
        "rien n'a été importé. Corrigez-le et envoyez-le de nouveau.",
    )
    context.update(report=report, filename=stored["filename"], form=CptsImportForm())
    return render(request, "cpts/cpts_import.html", context)
