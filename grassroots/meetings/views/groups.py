"""协调组: the coordinating groups of the viewer's township (leader, office, member units and their heads), and
making them from the township's platforms where none exist yet; members are kept in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from grassroots.core.errors import DomainError
from grassroots.geo.choices import DivisionLevel
from grassroots.geo.models import Division
from grassroots.people.actors import person_of

from ..models import CoordinatingGroup
from ..permissions import covers_township, may_convene
from ..services.groups import groups_from_platforms


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    person = person_of(request)
    code = request.GET.get("township") or (person.region_code or "")[:9]
    township = Division.objects.filter(code=code, level=DivisionLevel.TOWNSHIP, valid_to__isnull=True).first()
    if township is None or not (person.is_superuser or covers_township(person, township.code)):
        raise Http404("乡镇街道不存在或不在您的管辖范围内")
    if request.method == "POST":
        if not may_convene(person):
            raise PermissionDenied("您的岗位不配置协调组")
        try:
            made = groups_from_platforms(actor=person, township=township)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("已生成协调组 %(n)s 个") % {"n": made})
        return redirect(f"{request.path}?township={township.code}")
    rows = (
        CoordinatingGroup.objects.filter(township=township)
        .select_related("leader", "office")
        .prefetch_related("members__unit", "members__person")
    )
    context = {"township": township, "groups": list(rows), "may_configure": may_convene(person)}
    return render(request, "meetings/groups.html", context)
