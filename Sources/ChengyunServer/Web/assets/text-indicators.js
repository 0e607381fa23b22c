// Texts of the city vital-signs page (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'nav.indicators': '城市体征',
    'indicators.title': '城市体征', 'indicators.intro': '三级指标树，按阈值着色（红橙黄蓝）；点击指标查看历史与预测。',
    'indicators.name': '指标', 'indicators.value': '当前值', 'indicators.period': '周期', 'indicators.trend': '近 30 期', 'indicators.level': '状态',
    'indicators.normal': '正常', 'indicators.noValue': '无数据', 'indicators.compute': '立即计算并记录', 'indicators.computed': '已计算 {n} 项指标',
    'indicators.forecast': '{name}：历史与预测', 'indicators.backtest': '回测（{origins} 个起点，{points} 个点，提前 {horizon} 期）选用{method}：MAE {mae}，RMSE {rmse}，MAPE {mape}；次优{runner}：MAE {runnerMae}；持续法 MAE {persistence}。',
    'indicators.noBetter': '没有模型胜过持续法，下面的预测就是保持最新值。',
    'forecast.persistence': '持续法（保持最新值）', 'forecast.seasonalNaive': '季节朴素法（重复上一周期）', 'forecast.climatology': '气候平均（近期均值）',
    'forecast.blend': '持续—气候混合', 'forecast.holtWinters': 'Holt-Winters 季节模型',
    'indicators.noForecast': '历史数据不足，暂不能预测（至少需要两个季节周期）。', 'indicators.source': '来源', 'indicators.volume': '各大类案件量预测（近 8 周，提前 7 天）', 'indicators.category': '大类', 'indicators.comprehensive': '综合评价排名（按评价方案加权）',
    'source.formula': '公式', 'source.cases': '案件统计', 'source.telemetry': '监测数据', 'source.imported': '导入',
    'period.hour': '小时', 'period.day': '日', 'period.week': '周', 'period.month': '月',
  },
  en: {
    'nav.indicators': 'Vital signs',
    'indicators.title': 'City vital signs', 'indicators.intro': 'The three-level indicator tree, coloured by its thresholds (red, orange, yellow, blue); click one for its history and forecast.',
    'indicators.name': 'Indicator', 'indicators.value': 'Now', 'indicators.period': 'Period', 'indicators.trend': 'Last 30', 'indicators.level': 'Status',
    'indicators.normal': 'Normal', 'indicators.noValue': 'No data', 'indicators.compute': 'Compute and record now', 'indicators.computed': '{n} indicators computed',
    'indicators.forecast': '{name}: history and forecast', 'indicators.backtest': 'Back-test ({origins} origins, {points} points, {horizon} periods ahead) chose {method}: MAE {mae}, RMSE {rmse}, MAPE {mape}; runner-up {runner}: MAE {runnerMae}; persistence MAE {persistence}.',
    'indicators.noBetter': 'No model beats persistence here: the forecast below holds the latest value.',
    'forecast.persistence': 'persistence (latest value held)', 'forecast.seasonalNaive': 'seasonal naive (last cycle repeated)', 'forecast.climatology': 'climatology (recent mean)',
    'forecast.blend': 'persistence–climatology blend', 'forecast.holtWinters': 'Holt-Winters',
    'indicators.noForecast': 'Not enough history to forecast yet (two seasonal cycles at least).', 'indicators.source': 'Source', 'indicators.volume': 'Case volume by major category (8 weeks, 7 days ahead)', 'indicators.category': 'Major category', 'indicators.comprehensive': 'Comprehensive evaluation ranking (by the scheme\'s weights)',
    'source.formula': 'Formula', 'source.cases': 'Case statistics', 'source.telemetry': 'Telemetry', 'source.imported': 'Imported',
    'period.hour': 'Hour', 'period.day': 'Day', 'period.week': 'Week', 'period.month': 'Month',
  },
});
