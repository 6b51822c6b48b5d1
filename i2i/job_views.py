from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from i2i import access


def job_detail(request, pk):
    """The progress page; htmx polls `job_status` until the file is ready."""
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    return render(request, "jobs/job_detail.html", {"job": job})


def job_status(request, pk):
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    return render(request, "jobs/_job_status.html", {"job": job})


def job_download(request, pk):
    job = get_object_or_404(access.visible_jobs(request.user), pk=pk)
    if job.status != job.Status.DONE or not job.file:
        raise Http404("The file is not ready.")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename)
