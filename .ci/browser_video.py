"""The video-AI channel, clicked: a vendor's system sends a detection with a real JPEG (the
repository's own demo snapshot) through the machine key; the intake operator opens the review
queue, sees the snapshot with the box drawn where the detection says, types the plate read off the
picture and accepts it into a case, discards a demo detection as a false one, and a platform
administrator raises the class's threshold."""
import base64, json, os, re, time

from browserkit import *
from selenium.webdriver.support.ui import Select

SNAPSHOTS = os.path.join(os.path.dirname(__file__), "..", "Sources", "ChengyunStore", "Resources", "demo-snapshots")


def video_review(driver, passwords, credentials):
    key = re.search(r"X-API-Key\): (\S+)", credentials).group(1)
    status, body = api("POST", "/api/v1/session", {"username": "intake", "password": passwords["intake"]})
    token = json.loads(body)["token"]
    cameras = json.loads(api("GET", "/api/v1/video/cameras", token=token)[1])["items"]
    check(len(cameras) >= 4 and all(c["view"] for c in cameras), f"the demo's cameras have their views ({len(cameras)})")
    if not cameras:
        return
    jpeg = open(os.path.join(SNAPSHOTS, "illegal_parking.jpg"), "rb").read()
    box = {"x": 0.46, "y": 0.32, "width": 0.33, "height": 0.38}
    detection = {"cameraCode": cameras[-1]["device"]["code"], "classCode": "illegal_parking", "detectedAt": int(time.time() * 1000),
                 "confidence": 0.88, "box": box, "snapshot": base64.b64encode(jpeg).decode()}
    status, body = api("POST", "/api/v1/video/detections", detection, key=key)
    check(status == 200 and json.loads(body)["state"] == "pending", f"the detection is taken for review ({status}: {body[:200]})")
    if status != 200:
        return
    sent = json.loads(body)
    check(set(sent) == {"id", "state", "sightings", "folded"}, f"the sender is told of the detection only: {sorted(sent)}")
    again = json.loads(api("POST", "/api/v1/video/detections", dict(detection, detectedAt=detection["detectedAt"] + 5000), key=key)[1])
    check(again["id"] == sent["id"] and again["folded"] and again["sightings"] == 2, f"a repeat folds into it: {again}")

    login(driver, "intake", passwords["intake"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=video]").click()
    card_css = f".video-card[data-id='{sent['id']}']"
    card = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, card_css)))
    wait(driver, lambda d: d.execute_script(f"return document.querySelector(\"{card_css} img\").naturalWidth") > 0)
    geometry = driver.execute_script(f"""
        const img = document.querySelector("{card_css} img").getBoundingClientRect();
        const box = document.querySelector("{card_css} rect.detection-box").getBoundingClientRect();
        return [img.left, img.top, img.width, img.height, box.left, box.top, box.width, box.height,
                document.querySelector("{card_css} img").naturalWidth];""")
    il, it, iw, ih, bl, bt, bw, bh, natural = geometry
    near = lambda a, b: abs(a - b) <= 2
    check(natural == 320, f"the snapshot is the JPEG that was sent ({natural} px wide)")
    check(near(bl, il + box["x"] * iw) and near(bt, it + box["y"] * ih) and near(bw, box["width"] * iw) and near(bh, box["height"] * ih),
          f"the box is drawn where the detection says: {geometry}")
    check("抓拍 2 次" in card.text and "88%" in card.text, f"the card says how sure and how often: {card.text[:120]}")
    shot(driver, "video-review")
    card.find_element(By.CSS_SELECTOR, ".video-plate").send_keys("苏E·V1234")
    card.find_element(By.CSS_SELECTOR, ".video-note").send_keys("占用人行道")
    card.find_element(By.CSS_SELECTOR, ".video-accept").click()
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"{card_css} a.video-case")))
    check(driver.find_element(By.CSS_SELECTOR, card_css).get_attribute("data-state") == "accepted", "the detection is accepted")
    reviewed = json.loads(api("GET", f"/api/v1/video/detections/{sent['id']}", token=token)[1])
    case = json.loads(api("GET", f"/api/v1/cases/{reviewed['caseId']}", token=token)[1])
    check(case["case"]["customFields"].get("plate_number") == "苏E·V1234" and case["case"]["majorCode"] == "05"
          and case["case"]["state"] != "reported" and len(case["attachments"]) == 1,
          f"the case is E0505 with the plate, accepted, the snapshot its evidence: {case['case']['state']} {case['case']['customFields']}")
    driver.find_element(By.CSS_SELECTOR, f"{card_css} a.video-case").click()
    wait(driver, lambda d: case["case"]["number"] in heading(d))
    check(case["case"]["number"] in heading(driver), "the accepted detection's case opens")

    # A detection sent while the queue is open appears in it without a reload.
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=video]").click()
    # Once the page's stream is connected: a fresh stream replays nothing sent before.
    wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, "#video-queue[data-live=open]")))
    live_one = json.loads(api("POST", "/api/v1/video/detections", dict(detection, classCode="bicycle_parking", confidence=0.8,
                                                                       detectedAt=int(time.time() * 1000)), key=key)[1])
    try:
        wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f".video-card[data-id='{live_one.get('id')}']")), seconds=5)
    except Exception:
        pass
    check(driver.find_elements(By.CSS_SELECTOR, f".video-card[data-id='{live_one.get('id')}']"),
          "a new detection appears in the open queue by itself (server-sent event)")

    # A demo detection discarded as a false one counts against its class.
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=video]").click()
    other = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, ".video-card[data-class=street_vendor][data-state=pending]")))
    other_class, other_id = other.get_attribute("data-class"), other.get_attribute("data-id")
    Select(other.find_element(By.CSS_SELECTOR, ".video-reason")).select_by_value("false_detection")
    other.find_element(By.CSS_SELECTOR, ".video-discard").click()
    # The card may be redrawn by the discard's own live event: found again by its id.
    other_css = f".video-card[data-id='{other_id}']"
    wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, other_css).get_attribute("data-state") == "discarded")
    wait(driver, lambda d: "误报" in d.find_element(By.CSS_SELECTOR, f"{other_css} .video-outcome").text)
    check("误报" in driver.find_element(By.CSS_SELECTOR, f"{other_css} .video-outcome").text, "the discard says why")
    logout(driver)

    login(driver, "admin", passwords["admin"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=video]").click()
    row = wait(driver, EC.presence_of_element_located((By.CSS_SELECTOR, f"#video-classes tr[data-class={other_class}]")))
    check(row.find_element(By.CSS_SELECTOR, ".video-precision").text == "0%", f"the vendor class's precision counts the false detection: {row.text}")
    parking = driver.find_element(By.CSS_SELECTOR, "#video-classes tr[data-class=illegal_parking]")
    check(parking.find_element(By.CSS_SELECTOR, ".video-precision").text == "100%", f"the accepted parking detection: {parking.text}")
    threshold = parking.find_element(By.CSS_SELECTOR, ".video-threshold")
    threshold.clear()
    threshold.send_keys("0.8")
    parking.find_element(By.CSS_SELECTOR, "button").click()
    wait(driver, lambda d: "已保存" in parking.text)
    classes = json.loads(api("GET", "/api/v1/video/classes", token=token)[1])["items"]
    check(next(c for c in classes if c["videoClass"]["code"] == "illegal_parking")["videoClass"]["threshold"] == 0.8,
          "the administrator's threshold is in force")
    shot(driver, "video-classes")
    logout(driver)
