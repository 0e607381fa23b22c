/// The bad-input probe for each write route that takes a JSON body.
extension BadInputTests {
    static let probes: [String: Probe] = [
        "POST /api/v1/session": Probe(
            requiredField: "username", wrongType: #"{"username":1,"password":"x"}"#, wrongField: "username"),
        "POST /api/v1/citizen-session": Probe(
            requiredField: "phone", wrongType: #"{"phone":[],"password":"x"}"#, wrongField: "phone"),
        "POST /api/v1/citizens": Probe(
            requiredField: "phone", wrongType: #"{"phone":"13900000000","displayName":true,"password":"x"}"#,
            wrongField: "displayName"),
        "POST /api/v1/me/password": Probe(
            requiredField: "currentPassword", wrongType: #"{"currentPassword":"a","newPassword":5}"#,
            wrongField: "newPassword"),
        "POST /api/v1/areas": Probe(
            requiredField: "code", wrongType: #"{"code":320500,"name":"x","level":"city"}"#, wrongField: "code"),
        "PATCH /api/v1/areas/{id}": Probe(
            requiredField: "name", wrongType: #"{"name":{"zh":"x"}}"#, wrongField: "name"),
        "POST /api/v1/grid-cells": Probe(
            requiredField: "geometry", wrongType: #"{"code":"1","name":"x","geometry":"POLYGON"}"#,
            wrongField: "geometry"),
        "PATCH /api/v1/grid-cells/{id}": Probe(requiredField: nil, wrongType: #"{"name":7}"#, wrongField: "name"),
        "POST /api/v1/departments": Probe(
            requiredField: "kind", wrongType: #"{"code":"D","name":"x","kind":"sanitation","areaId":1}"#,
            wrongField: "areaId"),
        "PATCH /api/v1/departments/{id}": Probe(
            requiredField: nil, wrongType: #"{"active":"yes"}"#, wrongField: "active"),
        "POST /api/v1/users": Probe(
            requiredField: "roles",
            wrongType: #"{"username":"u","displayName":"x","password":"p","roles":"admin","areaId":"a"}"#,
            wrongField: "roles"),
        "PATCH /api/v1/users/{id}": Probe(requiredField: nil, wrongType: #"{"roles":[1]}"#, wrongField: "roles[0]"),
        "PUT /api/v1/users/{id}/password": Probe(
            requiredField: "password", wrongType: #"{"password":null}"#, wrongField: "password"),
        "POST /api/v1/api-keys": Probe(
            requiredField: "scopes", wrongType: #"{"name":"k","scopes":"telemetry:write","areaId":"a"}"#,
            wrongField: "scopes"),
        "POST /api/v1/matters": Probe(
            requiredField: "limits",
            wrongType: #"{"kind":"event","majorCode":"01","minorCode":"02","name":"x","limits":{}}"#,
            wrongField: "limits"),
        "PUT /api/v1/matters/{id}": Probe(
            requiredField: "kind",
            wrongType: #"{"kind":"event","majorCode":"01","minorCode":"02","name":"x","limits":[],"autoAccept":"no"}"#,
            wrongField: "autoAccept"),
        "POST /api/v1/matters/import": Probe(
            requiredField: "matters", wrongType: #"{"matters":{}}"#, wrongField: "matters"),
        "PUT /api/v1/calendar": Probe(
            requiredField: "weekPeriods", wrongType: #"{"name":"c","weekPeriods":"weekdays"}"#,
            wrongField: "weekPeriods"),
        "POST /api/v1/routing-rules": Probe(
            requiredField: "areaId", wrongType: #"{"areaId":"a","departmentIds":"d"}"#, wrongField: "departmentIds"),
        "POST /api/v1/cases": Probe(
            requiredField: "description",
            wrongType: #"{"matterCode":"E0102","description":"x","lon":"east","lat":31.3}"#, wrongField: "lon"),
        "POST /api/v1/public/reports": Probe(
            requiredField: "lat",
            wrongType: #"{"matterCode":"E0102","description":"x","lon":120.6,"lat":31.3,"customFields":[1]}"#,
            wrongField: "customFields"),
        "POST /api/v1/cases/{id}/actions": Probe(
            requiredField: "action", wrongType: #"{"action":"file","minutes":"sixty"}"#, wrongField: "minutes"),
        "PUT /api/v1/evaluation/weights": Probe(
            requiredField: "inspector",
            wrongType:
                #"{"inspector":"forty","intake":[25,40,35],"supervisor":[25,40,35],"dispatcher":[20,40,40],"department":[10,30,30,30],"area":[20,30,30,20]}"#,
            wrongField: "inspector"),
        "POST /api/v1/device-kinds": Probe(
            requiredField: "metrics",
            wrongType: #"{"code":"k","name":"x","nameEn":"x","metrics":"pm25","tracksPosition":false,"builtIn":false}"#,
            wrongField: "metrics"),
        "POST /api/v1/devices": Probe(
            requiredField: "kindCode", wrongType: #"{"code":"d1","kindCode":"gas","name":"x","lon":"east","lat":31.3}"#,
            wrongField: "lon"),
        "POST /api/v1/video/detections": Probe(
            requiredField: "cameraCode",
            wrongType:
                #"{"cameraCode":"CAM","classCode":"illegal_parking","detectedAt":"now","confidence":0.9,"box":{"x":0,"y":0,"width":0.1,"height":0.1},"snapshot":"AA=="}"#,
            wrongField: "detectedAt"),
        "POST /api/v1/video/detections/{id}/accept": Probe(
            requiredField: nil, wrongType: #"{"customFields":["苏E1"]}"#, wrongField: "customFields"),
        "POST /api/v1/video/detections/{id}/discard": Probe(
            requiredField: "reason", wrongType: #"{"reason":7}"#, wrongField: "reason"),
        "PUT /api/v1/video/classes/{code}": Probe(
            requiredField: "threshold", wrongType: #"{"threshold":"high"}"#, wrongField: "threshold"),
        "PUT /api/v1/video/cameras/{id}/view": Probe(
            requiredField: "heading", wrongType: #"{"heading":"north","angle":60,"range":80}"#, wrongField: "heading"),
        "POST /api/v1/datasets": Probe(
            requiredField: "fields",
            wrongType:
                #"{"code":"lamps","title":"路灯","description":"","sharingType":"unconditional","openType":"open","updateCycle":"monthly","fields":"code"}"#,
            wrongField: "fields"),
        "PUT /api/v1/datasets/{code}": Probe(
            requiredField: "title",
            wrongType:
                #"{"code":"lamps","title":"路灯","description":"","sharingType":"sometimes","openType":"open","updateCycle":"monthly","fields":[]}"#,
            wrongField: "sharingType"),
        "PUT /api/v1/datasets/{code}/pipeline": Probe(
            requiredField: "steps", wrongType: #"{"steps":"trim"}"#, wrongField: "steps"),
        "POST /api/v1/datasets/{code}/actions": Probe(
            requiredField: "action", wrongType: #"{"action":"publish"}"#, wrongField: "action"),
        "POST /api/v1/datasets/{code}/access-applications": Probe(
            requiredField: "purpose", wrongType: #"{"purpose":"巡查","fields":"code","days":30}"#, wrongField: "fields"),
        "POST /api/v1/access-applications/{id}/actions": Probe(
            requiredField: "action", wrongType: #"{"action":"grant"}"#, wrongField: "action"),
        "PUT /api/v1/datasets/{code}/pull": Probe(
            requiredField: "url",
            wrongType: #"{"url":"http://x.test/a.csv","format":"csv","intervalMinutes":"hourly"}"#,
            wrongField: "intervalMinutes"),
        "POST /api/v1/datasets/{code}/push-keys": Probe(
            requiredField: "name", wrongType: #"{"name":"环卫作业系统","days":"a year"}"#, wrongField: "days"),
        "POST /api/v1/subscriptions": Probe(
            requiredField: "topic", wrongType: #"{"topic":"cases"}"#, wrongField: "topic"),
        "POST /api/v1/subscriptions/{id}/replay": Probe(
            requiredField: "from", wrongType: #"{"from":"yesterday"}"#, wrongField: "from"),
        "POST /api/v1/devices/{id}/disarm": Probe(
            requiredField: "until", wrongType: #"{"until":"tomorrow","reason":"换电池"}"#, wrongField: "until"),
        "POST /api/v1/alarms/{id}/acknowledge": Probe(
            requiredField: nil, wrongType: #"{"note":5}"#, wrongField: "note"),
        "POST /api/v1/alarms/{id}/clear": Probe(requiredField: nil, wrongType: #"{"note":["x"]}"#, wrongField: "note"),
        "POST /api/v1/alarms/{id}/case": Probe(
            requiredField: "caseId", wrongType: #"{"caseId":5}"#, wrongField: "caseId"),
        "POST /api/v1/alarm-rules": Probe(
            requiredField: "condition",
            wrongType: #"{"name":"r","kindCode":"gas","condition":{"type":"noData","minutes":"ten"}}"#,
            wrongField: "condition.minutes"),
        "PUT /api/v1/alarm-rules/{id}": Probe(
            requiredField: "name",
            wrongType: #"{"name":"r","kindCode":"gas","condition":{"type":"noData","minutes":30},"enabled":"yes"}"#,
            wrongField: "enabled"),
        "POST /api/v1/me/reports/{id}/rating": Probe(
            requiredField: "satisfaction", wrongType: #"{"satisfaction":"great"}"#, wrongField: "satisfaction"),
        "POST /api/v1/public/reports/{number}/rating": Probe(
            requiredField: "satisfaction", wrongType: #"{"satisfaction":"satisfied","contact":5}"#,
            wrongField: "contact"),
        "PUT /api/v1/indicators/tree": Probe(
            requiredField: "indicators", wrongType: #"{"indicators":{"code":"a"}}"#, wrongField: "indicators"),
        "POST /api/v1/indicators/{code}/values": Probe(
            requiredField: "items", wrongType: #"{"items":[{"areaId":"a","at":"today","value":1}]}"#,
            wrongField: "items[0].at"),
        "POST /api/v1/supervision-orders": Probe(
            requiredField: nil, wrongType: #"{"caseId":42}"#, wrongField: "caseId"),
        "POST /api/v1/patrol-tasks": Probe(
            requiredField: "title", wrongType: #"{"title":"t","cells":"c","inspectorId":"i","deadline":1}"#,
            wrongField: "cells"),
        "POST /api/v1/patrol-tasks/{id}/check-ins": Probe(
            requiredField: "lon", wrongType: #"{"lon":"east","lat":31.3}"#, wrongField: "lon"),
        "POST /api/v1/emergency/resources": Probe(
            requiredField: "code",
            wrongType: #"{"code":"E1","name":"泵车","kind":"vehicle","capabilities":"drainage","lon":120.6,"lat":31.3}"#,
            wrongField: "capabilities"),
        "POST /api/v1/emergency/resources/{id}/events": Probe(
            requiredField: "event", wrongType: #"{"event":"assign","lon":"east"}"#, wrongField: "lon"),
        "POST /api/v1/emergency/resources/{id}/stock": Probe(
            requiredField: "material", wrongType: #"{"material":"sandbag","unit":"袋","quantity":"many"}"#,
            wrongField: "quantity"),
        "POST /api/v1/emergency/incidents/{id}/materials": Probe(
            requiredField: "depotId", wrongType: #"{"depotId":"d","material":"sandbag","quantity":"x"}"#,
            wrongField: "quantity"),
        "POST /api/v1/emergency/road-network": Probe(
            requiredField: "features", wrongType: #"{"type":"FeatureCollection","features":{}}"#, wrongField: "features"
        ),
        "POST /api/v1/emergency/modes": Probe(
            requiredField: "areaId", wrongType: #"{"areaId":"x","mode":"war","reason":"r"}"#, wrongField: "mode"),
        "POST /api/v1/emergency/incidents/{id}/command": Probe(
            requiredField: "areaId", wrongType: #"{"areaId":"x","reason":1}"#, wrongField: "reason"),
        "POST /api/v1/risk-map/hazards": Probe(
            requiredField: "code",
            wrongType: #"{"code":"H1","name":"站","category":"gas","lon":120.6,"lat":31.3,"inherentLevel":3}"#,
            wrongField: "inherentLevel"),
        "POST /api/v1/emergency/plans": Probe(
            requiredField: "code",
            wrongType: #"{"code":"x","name":"n","incidentType":"fire","command":{"headquarters":"h"},"levels":"all"}"#,
            wrongField: "levels"),
        "POST /api/v1/emergency/incidents": Probe(
            requiredField: "title", wrongType: #"{"title":"t","incidentType":"fire","lon":"east","lat":31.3}"#,
            wrongField: "lon"),
        "POST /api/v1/emergency/incidents/{id}/activation": Probe(
            requiredField: "plan", wrongType: #"{"plan":"fire","level":3}"#, wrongField: "level"),
        "POST /api/v1/emergency/incidents/{id}/level": Probe(
            requiredField: "level", wrongType: #"{"level":"II","reason":7}"#, wrongField: "reason"),
        "POST /api/v1/emergency/incidents/{id}/log": Probe(
            requiredField: "kind", wrongType: #"{"kind":"decision","text":9}"#, wrongField: "text"),
        "POST /api/v1/emergency/incidents/{id}/tasks/{taskId}/events": Probe(
            requiredField: "event", wrongType: #"{"event":"accept","reason":[]}"#, wrongField: "reason"),
        "POST /api/v1/emergency/incidents/{id}/resources": Probe(
            requiredField: "resourceId", wrongType: #"{"resourceId":5}"#, wrongField: "resourceId"),
        "POST /api/v1/emergency/incidents/{id}/resources/{resourceId}/events": Probe(
            requiredField: "event", wrongType: #"{"event":"depart","lat":"north"}"#, wrongField: "lat"),
        "POST /api/v1/emergency/incidents/{id}/close": Probe(
            requiredField: "summary", wrongType: #"{"summary":false}"#, wrongField: "summary"),
        "POST /api/v1/patrol-tasks/{id}/complete": Probe(
            requiredField: nil, wrongType: #"{"note":5}"#, wrongField: "note"),
        "POST /api/v1/patrol-tasks/{id}/cancel": Probe(
            requiredField: nil, wrongType: #"{"note":[]}"#, wrongField: "note"),
        "POST /api/v1/warning-subscriptions": Probe(
            requiredField: nil, wrongType: #"{"minLevel":3}"#, wrongField: "minLevel"),
        "POST /api/v1/supervision-orders/{id}/response": Probe(
            requiredField: "response", wrongType: #"{"response":["ok"]}"#, wrongField: "response"),
        "PUT /api/v1/supervision/policy": Probe(
            requiredField: "template",
            wrongType: #"{"autoSuperviseAfterMinutes":"soon","orderDeadlineHours":24,"template":{"text":"x"}}"#,
            wrongField: "autoSuperviseAfterMinutes"),
        "PUT /api/v1/dispatch/policy": Probe(
            requiredField: "threshold", wrongType: #"{"autoDispatch":"yes","threshold":0.9,"halfLifeDays":365}"#,
            wrongField: "autoDispatch"),
        "PUT /api/v1/evaluation/scheme": Probe(
            requiredField: "items", wrongType: #"{"items":[{"indicatorCode":"city.clean","weight":"heavy"}]}"#,
            wrongField: "items[0].weight"),
        "POST /api/v1/categories/import": Probe(
            requiredField: "majors", wrongType: #"{"majors":{},"minors":[]}"#, wrongField: "majors"),
    ]
}
