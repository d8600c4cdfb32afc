from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from interurps.core.http import require
from interurps.geography.models import Region
from interurps.jobs import perms, registry, selectors, services
from interurps.jobs.models import Job

PAGE_SIZE = 50


def _region(region_code) -> Region:
    return get_object_or_404(Region, code=region_code)


def _job(pk) -> Job:
    return get_object_or_404(Job.objects.select_related("region", "started_by"), pk=pk)


@login_required
def job_list(request, region_code):
    region = _region(region_code)
    require(perms.can_view_jobs(request.user, region))
    return render(
        request,
        "jobs/job_list.html",
        {
            "region": region,
            "jobs": selectors.jobs_of_region(region)[:PAGE_SIZE],
            "types": selectors.startable_types(request.user, region),
        },
    )


@login_required
def job_start(request, region_code, kind):
    region = _region(region_code)
    require(perms.can_start_jobs(request.user, region))
    job_type = registry.get(kind)
    if job_type is None:
        raise Http404
    require(job_type.can_start(request.user, region))
    form = job_type.form(
        request.POST or None,
        request.FILES or None,
        region=region,
        user=request.user,
        initial=request.GET.dict() or None,
    )
    if request.method == "POST" and form.is_valid():
        try:
            params = job_type.params(form.cleaned_data, region=region, user=request.user)
            job = services.job_start(
                kind=kind,
                region=region,
                user=request.user,
                params=params,
                upload=job_type.upload(form.cleaned_data),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, "Travail mis en attente : il démarre dès qu'un worker est libre."
            )
            return redirect(job)
    return render(
        request,
        "jobs/job_start.html",
        {"region": region, "job_type": job_type, "form": form},
    )


def _detail_context(request, job):
    return {
        "job": job,
        "stale": selectors.is_stale(job),
        "can_manage": perms.can_manage_job(request.user, job),
    }


@login_required
def job_detail(request, pk):
    job = _job(pk)
    require(perms.can_view_jobs(request.user, job.region_id))
    return render(request, "jobs/job_detail.html", _detail_context(request, job))


@login_required
def job_progress(request, pk):
    """The progress block alone, polled by htmx every two seconds while the job runs (the
    block of a finished job carries no polling: it stops)."""
    job = _job(pk)
    require(perms.can_view_jobs(request.user, job.region_id))
    return render(request, "jobs/_progress.html", _detail_context(request, job))


@login_required
def job_result(request, pk):
    job = _job(pk)
    require(perms.can_view_jobs(request.user, job.region_id))
    if not job.result_file:
        raise Http404
    try:
        handle = job.result_file.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    name = job.result_file.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@login_required
@require_POST
def job_cancel(request, pk):
    job = _job(pk)
    require(perms.can_manage_job(request.user, job))
    try:
        job = services.job_cancel(job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        if job.state == Job.State.CANCELLED:
            messages.success(request, "Travail annulé avant son démarrage.")
        else:
            messages.success(
                request, "Annulation demandée : le travail s'arrête à sa prochaine étape."
            )
    return redirect(job)


@login_required
@require_POST
def job_requeue(request, pk):
    job = _job(pk)
    require(perms.can_manage_job(request.user, job))
    try:
        services.job_requeue(job=job, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, "Travail remis en attente : il repart de zéro.")
    return redirect(job)
