"""City vital signs, clicked: the leader's indicator tree with values and colours from the demo
city's month of history, an indicator opened to its forecast with the back-tested error, and a
computation recorded from the page."""
from browserkit import *


def indicator_page(driver, passwords):
    login(driver, "leader", passwords["leader"])
    driver.find_element(By.CSS_SELECTOR, "#nav a[data-route=indicators]").click()
    wait(driver, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#page tr.indicator")) >= 20)
    rows = driver.find_elements(By.CSS_SELECTOR, "#page tr.indicator")
    city = driver.find_element(By.CSS_SELECTOR, "#page tr.indicator[data-code='city']")
    check(heading(driver) == "城市体征" and len(rows) == 20, f"the leader sees the indicator tree ({len(rows)} indicators)")
    check("分" in city.find_element(By.CSS_SELECTOR, "td.num").text, f"the city index has a value: {city.text}")
    lines = driver.execute_script("return document.querySelectorAll('#page tr.indicator .sparkline path').length")
    check(lines >= 10, f"indicators show their recent history as sparklines ({lines})")
    bars = driver.find_elements(By.CSS_SELECTOR, "#comprehensive .rank-bar")
    check(len(bars) >= 3, f"the districts are ranked by the comprehensive evaluation ({len(bars)})")
    shot(driver, "indicators")
    city.find_element(By.CSS_SELECTOR, "button.link").click()
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#indicator-detail .line-forecast"))
    backtest = driver.find_element(By.ID, "backtest").text
    check("MAE" in backtest and "持续法 MAE" in backtest and "次优" in backtest, f"the forecast shows the chosen method, the runner-up and persistence with their errors: {backtest}")
    shot(driver, "indicator-forecast")
    wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, "#case-volume .line-forecast"))
    check("MAE" in driver.find_element(By.CSS_SELECTOR, "#case-volume .backtest").text, "case volume per major category is forecast with its back-test")
    driver.find_element(By.ID, "indicator-compute").click()
    wait(driver, lambda d: "已计算" in d.find_element(By.ID, "indicator-status").text)
    check("20" in driver.find_element(By.ID, "indicator-status").text, "the leader records a computation from the page")
    logout(driver)
