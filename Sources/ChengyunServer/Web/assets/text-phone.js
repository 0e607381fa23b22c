// Texts of the inspector's phone page (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'phone.title': '城运 · 监督员', 'phone.tab.report': '上报问题', 'phone.tab.tasks': '我的任务',
    'phone.login': '监督员登录', 'phone.notStaff': '此页面供工作人员使用，请用工作账号登录。',
    'phone.photos': '现场照片（可拍多张）', 'phone.reported': '已上报，案件编号 {number}，当前{state}。',
    'phone.merged': '附近已有同类案件 {number}，本次上报已并入。', 'phone.urgent': '紧急',
    'phone.tasksIntro': '待我核实、核查的案件，最急的在前。', 'phone.tasksEmpty': '暂无核实、核查任务。',
    'phone.open': '办理', 'phone.close': '收起', 'phone.done': '{number} 已提交', 'phone.workbench': '电脑端工作台',
  },
  en: {
    'phone.title': 'Chengyun · Inspector', 'phone.tab.report': 'Report', 'phone.tab.tasks': 'My tasks',
    'phone.login': 'Inspector login', 'phone.notStaff': 'This page is for staff: log in with a staff account.',
    'phone.photos': 'Photos (take several)', 'phone.reported': 'Reported as {number}, now {state}.',
    'phone.merged': 'A nearby case of the same kind exists ({number}); this report was merged into it.', 'phone.urgent': 'Urgent',
    'phone.tasksIntro': 'Cases waiting for my verification or check, most urgent first.', 'phone.tasksEmpty': 'No verification or check tasks.',
    'phone.open': 'Open', 'phone.close': 'Fold', 'phone.done': '{number} submitted', 'phone.workbench': 'Desktop workbench',
  },
});
