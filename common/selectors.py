from django.db.models import QuerySet

from common.models import Municipality


def municipality_search(*, query: str = "", province: str = "") -> QuerySet[Municipality]:
    municipalities = Municipality.objects.select_related("province")
    if query:
        municipalities = municipalities.filter(name__istartswith=query.strip())
    if province:
        municipalities = municipalities.filter(province__code=province.upper())
    return municipalities.order_by("name")
