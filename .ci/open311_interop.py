#!/usr/bin/env python3
"""Open311 interoperability: a live `chengyun serve --demo` driven by a third-party GeoReport v2
client from PyPI (`georeport`, in both its JSON and XML modes) — list services, read a definition,
create requests, read them back, filter them. `georeport` has no submit call, so requests are
created with `requests` (the HTTP library it is built on) as a FixMyStreet-style app would post
them. (The older `open311` package on PyPI is Python 2 only and cannot be imported on Python 3.)"""
import os, re, sys, datetime

import requests
from georeport import GeoReport

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("OPEN311_PORT", "18081")))
check = live.check
endpoint = live.base + "/open311/v2"

with live:
    key = re.search(r"X-API-Key\): (\S+)", open(live.credentials_path).read()).group(1)
    client = GeoReport(endpoint, jurisdiction="chengyun", api_key=key)
    xml_client = GeoReport(endpoint, jurisdiction="chengyun", api_key=key, output_format="xml")

    services = client.get_service_list()
    codes = {s["service_code"] for s in services}
    check(len(services) >= 52 and "E0102" in codes and "C0101" in codes, f"services listed: {len(services)}")
    xml_services = xml_client.get_service_list()
    check({s["service_code"] for s in xml_services} == codes, "the XML service list names the same services")
    check(all(s["metadata"] in ("true", "false") for s in xml_services), "XML booleans")

    definition = client.get_service_definition("C0101")
    attribute = definition["attributes"][0]
    check(attribute["code"] == "cover_state" and attribute["required"] is True and attribute["datatype"] == "singlevaluelist",
          f"C0101's definition: {attribute}")
    xml_definition = xml_client.get_service_definition("C0101")
    values = xml_definition["attributes"]["attribute"]["values"]["value"]
    check([v["key"] for v in values] == ["damaged", "lost", "displaced"], f"XML definition values: {values}")

    existing = client.get_service_requests()
    check(len(existing) > 50, f"the demo city's requests of the last 90 days: {len(existing)}")
    here = next((r for r in existing if r.get("address")), existing[0])
    check(bool(here.get("address")), "demo requests carry their addresses")
    # New reports where the demo city already has one, and one placed by its address alone.
    created = []
    for code, extra in [("E0301", {"description": "夜间施工噪音 (interop)", "first_name": "Ann", "email": "ann@example.org"}),
                        ("C0101", {"description": "井盖破损 (interop)", "attribute[cover_state]": "damaged",
                                   "media_url": "https://photos.example.org/cover.jpg"})]:
        form = {"api_key": key, "jurisdiction_id": "chengyun", "service_code": code, "lat": here["lat"], "long": here["long"], **extra}
        answer = requests.post(endpoint + "/requests.json", data=form, timeout=10)
        check(answer.status_code == 200 and "service_request_id" in answer.json()[0], f"POST {code}: {answer.status_code} {answer.text[:200]}")
        created.append(answer.json()[0]["service_request_id"])
    if here.get("address"):
        answer = requests.post(endpoint + "/requests.xml", data={"api_key": key, "service_code": "E0506", "address_string": here["address"],
                                                                  "description": "非机动车乱停放 (interop, by address)"}, timeout=10)
        check(answer.status_code == 200 and "<service_request_id>" in answer.text, f"POST by address: {answer.text[:200]}")
        created.append(re.search(r"<service_request_id>([^<]+)<", answer.text).group(1))

    for request_id in created:
        one = client.get_service_request(request_id)
        check(one["service_request_id"] == request_id and one["status"] == "open", f"read back {request_id}: {one}")
        check(abs(float(one["lat"]) - float(here["lat"])) < 1e-9 and abs(float(one["long"]) - float(here["long"])) < 1e-9, f"{request_id} is where it was reported")
        xml_one = xml_client.get_service_request(request_id)
        check(xml_one["service_request_id"] == request_id and xml_one["requested_datetime"].endswith("+08:00"), f"XML read back {request_id}")
    cover = client.get_service_request(created[1])
    check(cover["service_code"] == "C0101" and cover["media_url"] == "https://photos.example.org/cover.jpg", "the cover report keeps its photo URL")

    listed = client.get_service_requests(service_request_id=",".join(created))
    check(sorted(r["service_request_id"] for r in listed) == sorted(created), "filter by ids")
    noise = client.get_service_requests(service_code="E0301", status="open")
    check(created[0] in [r["service_request_id"] for r in noise] and all(r["service_code"] == "E0301" and r["status"] == "open" for r in noise),
          "filter by service and status")
    today = datetime.datetime.now(datetime.timezone.utc)
    window = client.get_service_requests(start_date=(today - datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"),
                                         end_date=(today + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M:%SZ"))
    check(set(created) <= {r["service_request_id"] for r in window}, "filter by date range")
    xml_listed = xml_client.get_service_requests(service_request_id=",".join(created))
    xml_listed = xml_listed if isinstance(xml_listed, list) else [xml_listed]
    check(sorted(r["service_request_id"] for r in xml_listed) == sorted(created), "XML filter by ids")

    refused = requests.post(endpoint + "/requests.json", data={"service_code": "E0102", "lat": here["lat"], "long": here["long"]}, timeout=10)
    check(refused.status_code == 403 and refused.json()[0]["code"] == 403, f"no api_key: {refused.status_code} {refused.text}")
    try:
        client.get_service_definition("X9999")
        check(False, "an unknown service is 404")
    except requests.HTTPError as error:
        check(error.response.status_code == 404, "an unknown service is 404")
live.finish("open311 interop")
