// Texts of patrol tasks on the workbench and the inspector's phone (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'nav.patrol': '巡查任务', 'patrol.title': '巡查任务', 'patrol.tasks': '任务', 'patrol.none': '暂无巡查任务。',
    'patrol.new': '派发巡查任务', 'patrol.taskTitle': '任务名称', 'patrol.inspector': '监督员', 'patrol.deadline': '完成期限',
    'patrol.checklist': '检查清单', 'patrol.checklistHint': '每行一项，如：暴露垃圾', 'patrol.pickCells': '巡查网格',
    'patrol.pickInspector': '先选择监督员，再勾选其负责的网格。', 'patrol.send': '派发', 'patrol.required': '请填写任务名称、监督员、期限并至少选择一个网格。',
    'patrol.sent': '已派发巡查任务 {number} 给 {name}', 'patrol.number': '编号', 'patrol.coverage': '覆盖率', 'patrol.stateCol': '状态',
    'patrol.open': '详情', 'patrol.cells': '网格', 'patrol.checkIns': '签到记录', 'patrol.noCheckIns': '尚未签到。', 'patrol.note': '说明',
    'patrol.cancel': '撤销任务', 'patrol.cancelReason': '撤销原因', 'patrol.cancelled': '已撤销巡查任务 {number}',
    'patrol.state.assigned': '待巡查', 'patrol.state.inProgress': '巡查中', 'patrol.state.done': '已完成', 'patrol.state.cancelled': '已撤销',
    'patrol.checkIn': '网格签到', 'patrol.checkInNote': '签到备注', 'patrol.checkedIn': '已在网格 {cell} 签到',
    'patrol.finish': '完成任务', 'patrol.finishNote': '说明（有网格未巡查时必填）', 'patrol.finished': '巡查任务 {number} 已完成',
    'warning.patrolTask': '巡查任务', 'warning.incidentTask': '应急任务', 'warning.riskCell': '风险网格', 'phone.patrolTasks': '巡查任务', 'phone.noPatrol': '没有待办的巡查任务。',
  },
  en: {
    'nav.patrol': 'Patrols', 'patrol.title': 'Patrol tasks', 'patrol.tasks': 'Tasks', 'patrol.none': 'No patrol tasks.',
    'patrol.new': 'Send a patrol', 'patrol.taskTitle': 'Title', 'patrol.inspector': 'Inspector', 'patrol.deadline': 'Due by',
    'patrol.checklist': 'Checklist', 'patrol.checklistHint': 'One item per line, e.g. exposed garbage', 'patrol.pickCells': 'Grid cells to patrol',
    'patrol.pickInspector': 'Choose an inspector first, then tick cells of their patch.', 'patrol.send': 'Send',
    'patrol.required': 'Give a title, an inspector, a deadline and at least one cell.',
    'patrol.sent': 'Patrol {number} sent to {name}', 'patrol.number': 'Number', 'patrol.coverage': 'Coverage', 'patrol.stateCol': 'State',
    'patrol.open': 'Details', 'patrol.cells': 'Cells', 'patrol.checkIns': 'Check-ins', 'patrol.noCheckIns': 'No check-ins yet.', 'patrol.note': 'Note',
    'patrol.cancel': 'Call off', 'patrol.cancelReason': 'Reason', 'patrol.cancelled': 'Patrol {number} called off',
    'patrol.state.assigned': 'Not started', 'patrol.state.inProgress': 'Under way', 'patrol.state.done': 'Done', 'patrol.state.cancelled': 'Called off',
    'patrol.checkIn': 'Check in here', 'patrol.checkInNote': 'Note', 'patrol.checkedIn': 'Checked in at cell {cell}',
    'patrol.finish': 'Finish', 'patrol.finishNote': 'Note (required when cells were left out)', 'patrol.finished': 'Patrol {number} finished',
    'warning.patrolTask': 'Patrol task', 'warning.incidentTask': 'Incident task', 'warning.riskCell': 'Risk cell', 'phone.patrolTasks': 'Patrols', 'phone.noPatrol': 'No patrols to do.',
  },
});
