// Texts of exchange (data-access.js): Chinese first, English second.
import { addText } from './i18n.js';

addText({
  zh: {
    'nav.access': '共享申请', 'access.heading': '数据共享申请', 'access.intro': '申请使用其他部门发布的数据资源；提供方部门审核，有条件共享的再经城运中心审核。批准后本部门人员可查看所申请的数据项，系统可领取密钥调用，按频率和每日限额计量，每次调用都有记录。',
    'access.view': '范围', 'access.view.mine': '本部门的申请', 'access.view.awaiting': '待我审核', 'access.view.overseen': '我提供的数据的全部申请',
    'access.dataset': '数据资源', 'access.consumer': '使用方', 'access.fields': '申请的数据项', 'access.state': '状态', 'access.applied': '申请时间',
    'access.state.pending': '审核中', 'access.state.approved': '已批准', 'access.state.rejected': '已驳回', 'access.state.withdrawn': '已撤回', 'access.state.revoked': '已收回',
    'access.stage.owner': '提供方部门', 'access.stage.centre': '城运中心', 'access.awaiting': '待审核方', 'access.stageLabel': '审核方',
    'access.apply': '申请使用', 'access.applyFor': '申请使用：{title}', 'access.oneStage': '由提供方部门审核。', 'access.twoStages': '有条件共享：提供方部门审核后，再由城运中心审核。',
    'access.purpose': '用途', 'access.days': '使用期限（天，最长 365）', 'access.system': '使用系统', 'access.systemHint': '领取密钥的系统名称（可不填）',
    'access.rate': '每分钟调用上限', 'access.quota': '每日调用限额', 'access.send': '提交申请', 'access.sent': '已提交，等待审核。',
    'access.limits': '使用条件', 'access.limitsText': '每分钟 {rate} 次，每日 {quota} 次，期限 {days} 天', 'access.expires': '到期时间',
    'access.keyPrefix': '密钥标识', 'access.closingNote': '驳回或收回原因', 'access.decisions': '审核记录', 'access.at': '时间', 'access.decision': '操作',
    'access.by': '操作人', 'access.noteLabel': '意见', 'access.note': '意见（驳回、收回时必填）',
    'access.step.approve': '同意', 'access.step.reject': '驳回', 'access.step.withdraw': '撤回申请', 'access.step.revoke': '收回授权', 'access.step.key': '领取密钥',
    'access.secretOnce': '密钥只显示这一次，请妥善保存：', 'access.usageText': '本分钟已调用 {minute}/{rate} 次，今日已调用 {today}/{quota} 次。',
    'access.log': '访问日志', 'access.caller': '调用方', 'access.operation': '调用', 'access.outcomeLabel': '结果',
    'access.outcome.admitted': '放行', 'access.outcome.rate_limited': '超频率', 'access.outcome.quota_exhausted': '超限额',
  },
  en: {
    'nav.access': 'Access applications', 'access.heading': 'Data access applications', 'access.intro': "Apply to use datasets other departments publish; the owner department reviews, and for conditional sharing the operation centre after it. Once approved your department's staff read the fields applied for and a system collects a key, metered by rate and daily quota, every call logged.",
    'access.view': 'Show', 'access.view.mine': "My department's applications", 'access.view.awaiting': 'Awaiting my decision', 'access.view.overseen': 'All on datasets I provide',
    'access.dataset': 'Dataset', 'access.consumer': 'Consumer', 'access.fields': 'Fields', 'access.state': 'State', 'access.applied': 'Applied',
    'access.state.pending': 'Pending', 'access.state.approved': 'Approved', 'access.state.rejected': 'Rejected', 'access.state.withdrawn': 'Withdrawn', 'access.state.revoked': 'Revoked',
    'access.stage.owner': 'Owner department', 'access.stage.centre': 'Operation centre', 'access.awaiting': 'Awaiting', 'access.stageLabel': 'Stage',
    'access.apply': 'Apply for access', 'access.applyFor': 'Apply for access: {title}', 'access.oneStage': 'The owner department decides.', 'access.twoStages': 'Conditional sharing: the owner department decides, then the operation centre.',
    'access.purpose': 'Purpose', 'access.days': 'Days (at most 365)', 'access.system': 'System', 'access.systemHint': 'the system that will hold the key (optional)',
    'access.rate': 'Requests a minute', 'access.quota': 'Requests a day', 'access.send': 'Apply', 'access.sent': 'Sent; awaiting a decision.',
    'access.limits': 'Terms', 'access.limitsText': '{rate} a minute, {quota} a day, for {days} days', 'access.expires': 'Expires',
    'access.keyPrefix': 'Key', 'access.closingNote': 'Why rejected or revoked', 'access.decisions': 'Decisions', 'access.at': 'When', 'access.decision': 'Decision',
    'access.by': 'By', 'access.noteLabel': 'Note', 'access.note': 'Note (required to reject or revoke)',
    'access.step.approve': 'Approve', 'access.step.reject': 'Reject', 'access.step.withdraw': 'Withdraw', 'access.step.revoke': 'Revoke', 'access.step.key': 'Collect key',
    'access.secretOnce': 'The key is shown this once; keep it safe: ', 'access.usageText': '{minute}/{rate} this minute, {today}/{quota} today.',
    'access.log': 'Access log', 'access.caller': 'Caller', 'access.operation': 'Call', 'access.outcomeLabel': 'Outcome',
    'access.outcome.admitted': 'admitted', 'access.outcome.rate_limited': 'rate limited', 'access.outcome.quota_exhausted': 'quota used up',
  },
});
