import json

import pytest
from django.urls import reverse

from interurps.accounts.models import Role
from interurps.geography.geojson import simplified
from interurps.geography.models import Commune
from tests.factories import user_with_role

OUTLINES = reverse("geography:communes_geojson")


def test_simplified_rounds_and_drops_repeated_points():
    square = [[0.00001, 0.0], [0.00002, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [0.0, 0.0]]
    geometry = simplified({"type": "Polygon", "coordinates": [square]})
    assert geometry["coordinates"][0] == [
        [0.0, 0.0],
        [1.0, 0.0],
        [1.0, 1.0],
        [0.0, 1.0],
        [0.0, 0.0],
    ]
    multi = simplified({"type": "MultiPolygon", "coordinates": [[square]]})
    assert multi["coordinates"][0][0] == geometry["coordinates"][0]
    # A ring that would collapse at this precision keeps its points.
    tiny = [[0.0, 0.0], [0.00001, 0.0], [0.00001, 0.00001], [0.0, 0.0]]
    assert len(simplified({"type": "Polygon", "coordinates": [tiny]})["coordinates"][0]) == 4


@pytest.mark.django_db
def test_commune_outlines_are_served_apart_with_an_etag(client):
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(OUTLINES, {"departement": "53"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=3600" in response["Cache-Control"]
    codes = {f["properties"]["code"] for f in json.loads(response.content)["features"]}
    assert codes == set(
        Commune.objects.filter(department_id="53", kind="COM").values_list("code", flat=True)
    )
    again = client.get(OUTLINES, {"departement": "53"}, HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304 and not again.content
    picked = json.loads(client.get(OUTLINES, {"codes": "53130,53054"}).content)
    assert {f["properties"]["code"] for f in picked["features"]} == {"53130", "53054"}
    region = json.loads(client.get(OUTLINES, {"region": "52"}).content)
    assert (
        len(region["features"])
        == Commune.objects.filter(department__region_id="52", kind="COM")
        .exclude(geometry="")
        .count()
    )


@pytest.mark.django_db
def test_commune_outlines_need_an_area_and_a_signed_in_user(client):
    assert client.get(OUTLINES, {"departement": "53"}).status_code == 302
    client.force_login(user_with_role(Role.FEDERATION_STAFF))
    response = client.get(OUTLINES)
    assert response.status_code == 400
    assert "Indiquez un département" in response.content.decode()
