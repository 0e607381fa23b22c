// Texts of the cockpit (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'nav.cockpit': '驾驶舱',
    'cockpit.title': '城市运行驾驶舱', 'cockpit.map': '网格态势图', 'cockpit.colourBy': '网格着色',
    'cockpit.by.open': '在办案件', 'cockpit.by.overdue': '超时案件', 'cockpit.by.risk': '风险四色图',
    'cockpit.mapHelp': '滚轮缩放、拖动平移；圆点为案件（红色为超时），三角为告警，数字为聚合数量，点击查看详情。',
    'cockpit.reported': '今日上报', 'cockpit.filed': '今日立案', 'cockpit.closed': '今日结案', 'cockpit.onTime': '按期结案率（30 天）',
    'cockpit.devicesOnline': '设备在线', 'cockpit.perDay': '近 30 天各大类案件数', 'cockpit.other': '其他',
    'cockpit.alarm': '告警', 'cockpit.overdue': '已超时', 'cockpit.openCase': '查看案件详情',
    'cockpit.ranking': '专业部门综合评价排名（30 天）', 'cockpit.rankingHidden': '部门排名仅对值班长、领导和管理员显示。',
    'cockpit.perHour': '近 24 小时告警数（按级别）', 'cockpit.cluster': '{n} 个标记：告警 {alarms}，超时案件 {overdue}；点击放大', 'cockpit.hour': '{h}时',
    'severity.red': '红色告警', 'severity.orange': '橙色告警', 'severity.yellow': '黄色告警', 'severity.blue': '蓝色告警',
  },
  en: {
    'nav.cockpit': 'Cockpit',
    'cockpit.title': 'City operations cockpit', 'cockpit.map': 'Grid map', 'cockpit.colourBy': 'Colour cells by',
    'cockpit.by.open': 'Open cases', 'cockpit.by.overdue': 'Overdue cases', 'cockpit.by.risk': 'Risk map',
    'cockpit.mapHelp': 'Wheel to zoom, drag to pan; dots are cases (red: overdue), triangles alarms, numbers clusters; click for detail.',
    'cockpit.reported': 'Reported today', 'cockpit.filed': 'Filed today', 'cockpit.closed': 'Closed today', 'cockpit.onTime': 'Closed on time (30 days)',
    'cockpit.devicesOnline': 'Devices online', 'cockpit.perDay': 'Cases per day by major category, 30 days', 'cockpit.other': 'Other',
    'cockpit.alarm': 'Alarm', 'cockpit.overdue': 'overdue', 'cockpit.openCase': 'Open the case',
    'cockpit.ranking': 'Departments ranked by evaluation (30 days)', 'cockpit.rankingHidden': 'The ranking is shown to supervisors, leaders and administrators.',
    'cockpit.perHour': 'Alarms per hour, last 24 hours, by severity', 'cockpit.cluster': '{n} markers: {alarms} alarms, {overdue} overdue cases; click to zoom in', 'cockpit.hour': '{h}:00',
    'severity.red': 'Red alarms', 'severity.orange': 'Orange alarms', 'severity.yellow': 'Yellow alarms', 'severity.blue': 'Blue alarms',
  },
});
