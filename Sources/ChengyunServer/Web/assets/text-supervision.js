// Texts of the warnings and supervision page (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'nav.supervision': '预警督办',
    'supervision.title': '预警督办', 'supervision.warnings': '预警', 'supervision.orders': '督办单',
    'supervision.noWarnings': '当前没有预警。', 'supervision.noOrders': '暂无督办单。',
    'supervision.issue': '发起督办', 'supervision.case': '案件或巡查任务编号', 'supervision.note': '督办意见（写入督办函）', 'supervision.issued': '已发出督办单 {number}',
    'supervision.read': '签收', 'supervision.respond': '回复', 'supervision.response': '办理情况', 'supervision.responded': '已回复：{text}',
    'supervision.deadline': '回复期限', 'supervision.automatic': '自动督办', 'supervision.by': '督办人', 'supervision.overdue': '已逾期',
    'supervision.state.issued': '待签收', 'supervision.state.read': '已签收', 'supervision.state.responded': '已回复',
    'warning.caseStage': '案件时限', 'warning.supervisionOverdue': '督办逾期', 'warning.indicator': '城市体征', 'supervision.live': '预警实时更新',
    'supervision.openedCase': '已生成案件', 'supervision.onlySubscribed': '只看我订阅的预警',
    'supervision.subscriptions': '我的预警订阅', 'supervision.subscriptionsIntro': '订阅的预警会提醒到我，并可在上方只看订阅的预警。',
    'supervision.noSubscriptions': '尚未订阅。', 'supervision.kinds': '预警类型（不选即全部）', 'supervision.minLevel': '最低级别',
    'supervision.subscribe': '订阅', 'supervision.unsubscribe': '取消订阅', 'supervision.subscribed': '已订阅', 'supervision.unsubscribed': '已取消订阅',
    'supervision.allKinds': '全部类型', 'supervision.from': '{level}及以上',
  },
  en: {
    'nav.supervision': 'Warnings',
    'supervision.title': 'Warnings and supervision', 'supervision.warnings': 'Warnings', 'supervision.orders': 'Supervision orders',
    'supervision.noWarnings': 'No warnings now.', 'supervision.noOrders': 'No supervision orders.',
    'supervision.issue': 'Issue an order', 'supervision.case': 'Case or patrol number', 'supervision.note': 'Note (goes into the letter)', 'supervision.issued': 'Order {number} sent',
    'supervision.read': 'Mark read', 'supervision.respond': 'Answer', 'supervision.response': 'What was done', 'supervision.responded': 'Answered: {text}',
    'supervision.deadline': 'Answer by', 'supervision.automatic': 'Automatic', 'supervision.by': 'Issued by', 'supervision.overdue': 'overdue',
    'supervision.state.issued': 'Not read', 'supervision.state.read': 'Read', 'supervision.state.responded': 'Answered',
    'warning.caseStage': 'Case time limit', 'warning.supervisionOverdue': 'Order overdue', 'warning.indicator': 'Vital sign', 'supervision.live': 'Warnings update live',
    'supervision.openedCase': 'case opened', 'supervision.onlySubscribed': 'Only the warnings I subscribe to',
    'supervision.subscriptions': 'My warning subscriptions', 'supervision.subscriptionsIntro': 'Subscribed warnings are reminded to me; the list above can show only them.',
    'supervision.noSubscriptions': 'No subscriptions yet.', 'supervision.kinds': 'Kinds (none: all)', 'supervision.minLevel': 'From level',
    'supervision.subscribe': 'Subscribe', 'supervision.unsubscribe': 'Unsubscribe', 'supervision.subscribed': 'Subscribed', 'supervision.unsubscribed': 'Unsubscribed',
    'supervision.allKinds': 'all kinds', 'supervision.from': '{level} and up',
  },
});
