#!/usr/bin/env python3
"""CKAN interoperability: a live `chengyun serve --demo` read by `ckanapi` (CKAN's own client,
from PyPI) as it reads any CKAN site — status, package list, show, search with paging and
filters, organizations, resources, and CKAN's errors raised as ckanapi's exceptions — by POST
(its default) and by GET. A department registers a dataset over the REST API; it is invisible
to CKAN until the operation centre publishes it. Each dataset's resource (its record schema) is
a JSON Schema that `jsonschema` (PyPI) accepts and checks records with. Last, a dataset shared on
conditions: refused to ckanapi without a key, then read with the key of an approved access
application (as `apikey`, sent in `Authorization`), its granted fields alone."""
import json, os, re, sys

import ckanapi
import jsonschema
import requests

sys.path.insert(0, os.path.dirname(__file__))
from liveserver import LiveDemo

live = LiveDemo(int(os.environ.get("CKAN_PORT", "18085")))
check, api = live.check, live.api
PLATFORM = ["city-cases", "city-indicators", "department-evaluations", "grid-cells", "iot-alarms", "iot-devices", "iot-readings"]
DEMO = "waste-sorting-points"  # the demo's sanitation department's, published with its first load

with live:
    credentials = open(live.credentials_path).read()
    passwords = {u: p for u, p in re.findall(r"^  (\S+)\s+(\S+)\s+roles=", credentials, re.M)}
    session = lambda user: json.loads(api("POST", "/api/v1/session", {"username": user, "password": passwords[user]})[1])["token"]
    ckan = ckanapi.RemoteCKAN(live.base, user_agent="chengyun-ci")
    ckan_get = ckanapi.RemoteCKAN(live.base, user_agent="chengyun-ci", get_only=True)

    status = ckan.action.status_show()
    check(status["ckan_version"].startswith("2.") and status["site_url"] == live.base, f"status_show: {status}")
    names = ckan.action.package_list()
    check(names == PLATFORM + [DEMO], f"the platform's own datasets and the demo's are published without logging in: {names}")
    check(ckan_get.action.package_list(limit=3, offset=2) == PLATFORM[2:5], "package_list pages by GET too")

    # Open records through the DataStore, as a CKAN client reads them.
    points = ckan.action.package_show(id=DEMO)
    store = next(r for r in points["resources"] if r.get("datastore_active"))
    sorted_points = ckan.action.datastore_search(resource_id=store["id"], filters={"kind": "sorted"}, limit=2)
    check(sorted_points["total"] == 4 and len(sorted_points["records"]) == 2 and
          {f["id"] for f in sorted_points["fields"]} >= {"code", "lon", "lat", "kind"},
          f"datastore_search filters an open dataset's records: {sorted_points['total']}")
    check(all(30 < r["lat"] < 32 and 120 < r["lon"] < 121 for r in sorted_points["records"]), "positions in WGS-84 degrees")
    try:
        ckan.action.datastore_search(resource_id="city-cases")
        check(False, "the platform's cases are not in the public DataStore")
    except ckanapi.NotAuthorized:
        check(True, "")
    words = ckan_get.action.package_search(q="垃圾 分类")
    check(any(p["name"] == DEMO for p in words["results"]), "q is words (a + in a GET query is a space)")

    cases = ckan.action.package_show(id="city-cases")
    extras = {e["key"]: e["value"] for e in cases["extras"]}
    check(cases["organization"]["name"] == "operation-centre" and cases["private"] is False, f"city-cases: {cases['organization']}")
    check(extras.get("sharing_type") == "conditional" and "sharing_condition" in extras and "dataset:iot-alarms" in extras.get("lineage", ""),
          f"the catalog's terms ride in extras: {extras}")
    check(ckan.action.package_show(id=cases["id"])["name"] == "city-cases", "package_show by id as well as by name")

    grid = ckan.action.package_show(id="grid-cells")
    resource = ckan.action.resource_show(id=grid["resources"][0]["id"])
    schema = requests.get(resource["url"], timeout=10).json()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    good = {"code": "320508001001", "name": "平江 1", "area_code": "320508001", "area_square_metres": 10000.0,
            "geometry": {"type": "Polygon", "coordinates": []}}
    check(not list(validator.iter_errors(good)), "a grid cell record meets its dataset's schema")
    check(len(list(validator.iter_errors({"code": 5, "name": "x"}))) >= 2, "a wrong record does not")

    # A department registers a dataset; CKAN does not see it until the centre publishes it.
    handler, admin = session("handler.sanitation"), session("admin")
    draft = {"code": "street-bins", "title": "垃圾箱点位", "titleEn": "Litter bins", "description": "主次干道垃圾箱的位置和容量",
             "sharingType": "unconditional", "openType": "open", "updateCycle": "monthly", "tags": ["垃圾箱", "环卫设施"],
             "coverage": {"areaName": "苏州市", "bbox": [120.5, 31.2, 120.7, 31.4]},
             "fields": [{"name": "code", "type": "string", "title": "编号", "required": True, "key": True},
                        {"name": "lon", "type": "lon", "title": "经度", "required": True, "key": False},
                        {"name": "lat", "type": "lat", "title": "纬度", "required": True, "key": False},
                        {"name": "litres", "type": "integer", "title": "容量", "unit": "L", "required": False, "key": False}],
             "lineage": [{"kind": "dataset", "ref": "grid-cells"}, {"kind": "source", "ref": "环卫设施台账"}]}
    code, body = api("POST", "/api/v1/datasets", draft, token=handler)
    check(code == 201, f"the sanitation department registers a draft ({code} {body[:200]})")
    try:
        ckan.action.package_show(id="street-bins")
        check(False, "a draft is not in the CKAN catalog")
    except ckanapi.NotFound:
        check(True, "")
    code, body = api("POST", "/api/v1/datasets/street-bins/actions", {"action": "submit"}, token=handler)
    check(code == 200 and json.loads(body)["state"] == "under_review", f"submitted ({code})")
    code, body = api("POST", "/api/v1/datasets/street-bins/actions", {"action": "approve"}, token=admin)
    check(code == 200 and json.loads(body)["state"] == "published", f"the centre publishes it ({code} {body[:200]})")

    bins = ckan.action.package_show(id="street-bins")
    spatial = json.loads({e["key"]: e["value"] for e in bins["extras"]}["spatial"])
    check(bins["title"] == "垃圾箱点位" and bins["license_id"] == "other-open" and spatial["type"] == "Polygon",
          f"published and read by ckanapi: {bins['title']} {bins['license_id']}")
    found = ckan.action.package_search(q="垃圾箱", fq="tags:环卫设施")
    check(found["count"] == 1 and found["results"][0]["name"] == "street-bins", f"package_search by words and tag: {found['count']}")
    organizations = {o["name"]: o for o in ckan.action.organization_list(all_fields=True)}
    owner = bins["organization"]["name"]
    check(organizations.get(owner, {}).get("package_count") == 2 and organizations["operation-centre"]["package_count"] == 7,
          f"organizations with their counts: {sorted(organizations)}")
    check([p["name"] for p in ckan_get.action.package_search(fq=f"organization:{owner} dataset_type:dataset")["results"]]
          == ["street-bins", DEMO], "package_search by organization, by GET")

    # A harvester pages through the whole catalog two at a time.
    harvested, start = [], 0
    while True:
        page = ckan.action.package_search(q="*:*", rows=2, start=start)
        harvested += [p["name"] for p in page["results"]]
        start += 2
        if start >= page["count"]:
            break
    check(harvested == sorted(PLATFORM + ["street-bins", DEMO]), f"harvested by pages: {harvested}")
    check(all(not p["metadata_modified"].endswith("+08:00") and len(p["metadata_modified"]) == 26 for p in page["results"]),
          "timestamps as CKAN writes them (UTC, microseconds, no offset)")

    # CKAN's errors come back as ckanapi's exceptions.
    for call, expected in [(lambda: ckan.action.package_show(id="no-such"), ckanapi.NotFound),
                           (lambda: ckan.action.package_show(), ckanapi.ValidationError),
                           (lambda: ckan.action.package_search(fq="res_format:CSV"), ckanapi.SearchQueryError),
                           (lambda: ckan.action.package_create(name="x"), ckanapi.CKANAPIError)]:
        try:
            call()
            check(False, f"expected {expected.__name__}")
        except expected:
            check(True, "")

    # Conditional sharing: the DataStore refuses strangers; an approved grant's key reads its fields.
    crews = {"code": "sanitation-crews", "title": "保洁作业班组", "description": "各班组的作业路段和班长电话",
             "sharingType": "conditional", "sharingCondition": "向市政、应急部门共享", "openType": "closed", "updateCycle": "monthly",
             "fields": [{"name": "code", "type": "string", "title": "班组编号", "required": True, "key": True},
                        {"name": "road", "type": "string", "title": "作业路段", "required": True, "key": False},
                        {"name": "leader_phone", "type": "string", "title": "班长电话", "required": False, "key": False}]}
    check(api("POST", "/api/v1/datasets", crews, token=handler)[0] == 201, "a conditionally shared dataset is registered")
    for user, action in [(handler, "submit"), (admin, "approve")]:
        api("POST", "/api/v1/datasets/sanitation-crews/actions", {"action": action}, token=user)
    code, body = api("POST", "/api/v1/datasets/sanitation-crews/loads",
                     "code,road,leader_phone\nBZ01,人民路,13900000001\nBZ02,干将路,13900000002\n".encode(), token=handler)
    check(code == 201, f"its records are loaded ({code} {body[:160]})")
    try:
        ckan.action.datastore_search(resource_id="sanitation-crews")
        check(False, "conditional records are not the public's")
    except ckanapi.NotAuthorized:
        check(True, "")
    municipal = session("handler.municipal")
    code, body = api("POST", "/api/v1/datasets/sanitation-crews/access-applications",
                     {"purpose": "道路养护协同", "fields": ["code", "road"], "days": 30, "system": "市政养护系统"}, token=municipal)
    application = json.loads(body).get("id", "")
    check(code == 201, f"the municipal department applies ({code} {body[:160]})")
    for user in [handler, admin]:
        code, body = api("POST", f"/api/v1/access-applications/{application}/actions", {"action": "approve"}, token=user)
    check(json.loads(body).get("state") == "approved", f"the owner, then the centre, approve ({body[:160]})")
    key = json.loads(api("POST", f"/api/v1/access-applications/{application}/key", token=municipal)[1])["secret"]
    granted = ckanapi.RemoteCKAN(live.base, apikey=key, user_agent="chengyun-ci").action.datastore_search(resource_id="sanitation-crews")
    check(granted["total"] == 2 and {f["id"] for f in granted["fields"]} == {"code", "road"}
          and all("leader_phone" not in r for r in granted["records"]),
          f"ckanapi with the grant's key reads the granted fields alone: {granted['fields']}")

live.finish("CKAN interop")
