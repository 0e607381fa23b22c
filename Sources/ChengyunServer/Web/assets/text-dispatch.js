// Texts of learned dispatch: the model list and policy on the routing page, the dispatcher's
// advice in the dispatch form (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    // the model list and policy (admin-dispatch.js)
    'learned.title': '智能分拨（学习模型）',
    'learned.intro': '模型从已结案件和派遣员的改派中学习：事项及其细类、区域、来源和描述用词。没有派遣规则覆盖的案件，模型把握达到阈值时立案即自动派遣；派遣规则优先。每天自动重新训练。',
    'learned.none': '尚未训练：有已结案件后每天自动训练，也可立即训练。',
    'learned.version': '版本', 'learned.trainedAt': '训练时间', 'learned.trigger': '触发', 'learned.examples': '学习案件',
    'learned.accuracy': '准确率', 'learned.top3': '前三命中', 'learned.autoPrecision': '自动派遣准确率',
    'learned.autoCoverage': '自动派遣覆盖', 'learned.matterAccuracy': '事项推荐准确率', 'learned.trigger.schedule': '定时', 'learned.trigger.demand': '手动',
    'learned.heldOut': '准确率按较新 30% 案件计（{n} 件），训练时未见过这些案件。',
    'learned.auto': '自动派遣', 'learned.threshold': '阈值（0.5–1）', 'learned.halfLife': '半衰期（天）',
    'learned.save': '保存策略', 'learned.train': '立即训练', 'learned.saved': '策略已保存', 'learned.trained': '已训练第 {v} 版',
    // the dispatcher's advice (dispatch-advice.js)
    'advice.title': '智能分拨建议', 'advice.rule': '派遣规则已指定：{departments}', 'advice.none': '暂无可参考的历史案件',
    'advice.pick': '选用', 'advice.model': '模型第 {v} 版', 'advice.auto': '达到自动派遣阈值 {threshold}',
    'advice.reason.cases': '{agreeing}/{cases} 件同类已结案件由该部门处置', 'advice.reason.text': '依据问题描述的用词',
    'advice.level.matter_fields': '同事项同细类', 'advice.level.matter_fields_area': '同事项同区域',
    'advice.level.matter_field_prefix': '同事项同大类', 'advice.level.matter_source': '同事项同渠道',
    'advice.level.matter': '同事项', 'advice.level.category_area': '同大类同区域', 'advice.level.category': '同大类',
    'advice.level.text': '描述相近',
  },
  en: {
    // the model list and policy (admin-dispatch.js)
    'learned.title': 'Learned dispatch',
    'learned.intro': 'The model learns from closed cases and dispatchers\' corrections: the matter and its sub-types, the area, the channel and the description\'s words. A filed case no routing rule covers is dispatched at once when the model is at least as sure as the threshold; routing rules win. Retrained every day.',
    'learned.none': 'Not trained yet: it trains every day once cases have closed, or now.',
    'learned.version': 'Version', 'learned.trainedAt': 'Trained', 'learned.trigger': 'Trigger', 'learned.examples': 'Cases',
    'learned.accuracy': 'Accuracy', 'learned.top3': 'Top 3', 'learned.autoPrecision': 'Auto precision',
    'learned.autoCoverage': 'Auto coverage', 'learned.matterAccuracy': 'Matter suggestion accuracy', 'learned.trigger.schedule': 'schedule', 'learned.trigger.demand': 'on demand',
    'learned.heldOut': 'Accuracy on the newer 30 % of cases ({n}), unseen in training.',
    'learned.auto': 'Dispatch automatically', 'learned.threshold': 'Threshold (0.5–1)', 'learned.halfLife': 'Half-life (days)',
    'learned.save': 'Save policy', 'learned.train': 'Train now', 'learned.saved': 'Policy saved', 'learned.trained': 'Trained version {v}',
    // the dispatcher's advice (dispatch-advice.js)
    'advice.title': 'Suggested departments', 'advice.rule': 'A routing rule names: {departments}',
    'advice.none': 'No past cases to go by yet', 'advice.pick': 'Use', 'advice.model': 'model v{v}',
    'advice.auto': 'at or above the auto-dispatch threshold {threshold}',
    'advice.reason.cases': '{agreeing} of {cases} like closed cases went to this department',
    'advice.reason.text': 'from the words of the description',
    'advice.level.matter_fields': 'same matter and sub-type', 'advice.level.matter_fields_area': 'same matter in this area',
    'advice.level.matter_field_prefix': 'same matter and type', 'advice.level.matter_source': 'same matter and channel',
    'advice.level.matter': 'same matter', 'advice.level.category_area': 'same category in this area',
    'advice.level.category': 'same category', 'advice.level.text': 'similar description',
  },
});
