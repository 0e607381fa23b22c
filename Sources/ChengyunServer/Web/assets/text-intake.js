// Texts of smart intake: the intake checks on a case, the citizens' categories, the 12345 form
// and the video review queue (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    // the intake checks (intake-checks.js)
    'intake.flags': '无效事件提示', 'intake.duplicates': '可能重复的案件', 'intake.noDuplicates': '附近没有可能重复的在办案件',
    'intake.flag.empty_text': '描述为空或无实际内容', 'intake.flag.repetitive_text': '描述为重复字符',
    'intake.flag.repeated_report': '同一报告人近期重复提交相同内容', 'intake.flag.no_department': '本区域无负责该事项的部门',
    'intake.flag.rejected_reporter': '该报告人此前的上报多次不予立案或作废',
    'intake.score': '相似度 {score}', 'intake.same': '同一事项', 'intake.related': '关联事项',
    'intake.distance': '相距 {m} 米', 'intake.hours': '间隔 {h} 小时', 'intake.text': '描述相似 {p}%',
    'intake.fields': '以下字段不同：{fields}', 'intake.mergeInto': '合并到此案件',
    'intake.proposal': '市民选择「{category}」，{how}：{matter}。受理时请确认或更正。',
    'intake.byModel': '模型建议事项（把握 {p}%）', 'intake.byCategory': '按该类默认事项', 'action.matter': '事项（确认或更正）',
    // the public categories (category-picker.js)
    'category.title': '问题类型', 'category.garbage': '垃圾环卫', 'category.roads': '道路桥梁', 'category.manholes': '井盖管线',
    'category.flooding': '积水漏水', 'category.lights': '路灯照明', 'category.traffic': '交通设施', 'category.trading': '占道经营',
    'category.parking': '乱停车', 'category.ads': '乱贴广告', 'category.construction': '施工工地', 'category.greenery': '园林绿化',
    'category.facilities': '公共设施',
    // the 12345 form (hotline-form.js)
    'nav.hotline': '热线登记', 'hotline.title': '12345 热线受理登记', 'hotline.caller': '来电人', 'hotline.phone': '来电号码',
    'hotline.suggested': '根据描述推荐的事项', 'hotline.none': '继续输入描述，系统会推荐事项', 'hotline.use': '选用',
    'hotline.submit': '登记', 'hotline.filed': '已登记，案件编号 {number}',
    // the video review queue (video-review.js)
    'nav.video': '视频审核', 'video.title': '视频智能分析 · 事件审核', 'video.state': '状态', 'video.refresh': '刷新',
    'video.state.pending': '待审核', 'video.state.suppressed': '低于阈值', 'video.state.accepted': '已立案', 'video.state.discarded': '已忽略',
    'video.camera': '摄像机', 'video.confidence': '置信度', 'video.sightings': '抓拍 {n} 次', 'video.seen': '首次 {first}，最近 {last}',
    'video.note': '审核意见', 'video.plate': '车牌号', 'video.accept': '通过并生成案件', 'video.discard': '忽略',
    'video.reason': '忽略原因', 'video.accepted': '已生成案件', 'video.discarded': '已忽略：{reason}', 'video.none': '没有待审核的抓拍',
    'video.reason.false_detection': '误报', 'video.reason.not_violation': '不构成违规', 'video.reason.duplicate': '重复',
    'video.reason.already_handled': '已处置', 'video.reason.other': '其他（请填写意见）',
    'video.classes': '识别类别与阈值', 'video.class': '类别', 'video.matter': '事项', 'video.threshold': '阈值',
    'video.reviewed': '待审/低于阈值/通过/忽略', 'video.precision': '审核准确率（90天）', 'video.suggested': '建议阈值',
    'video.save': '保存', 'video.saved': '已保存', 'video.cameras': '监控点位', 'video.view': '朝向 {heading}°，视角 {angle}°，{range} 米',
    'video.noView': '未设置朝向', 'video.name': '名称', 'video.openCase': '查看案件',
  },
  en: {
    // the intake checks (intake-checks.js)
    'intake.flags': 'May be invalid', 'intake.duplicates': 'Possible duplicates', 'intake.noDuplicates': 'No open case nearby that this may repeat',
    'intake.flag.empty_text': 'no real description', 'intake.flag.repetitive_text': 'the description repeats itself',
    'intake.flag.repeated_report': 'the same reporter sent the same words recently', 'intake.flag.no_department': 'no department handles this matter here',
    'intake.flag.rejected_reporter': "the reporter's earlier reports were refused or voided",
    'intake.score': 'score {score}', 'intake.same': 'same matter', 'intake.related': 'related matter',
    'intake.distance': '{m} m apart', 'intake.hours': '{h} h apart', 'intake.text': 'descriptions {p}% alike',
    'intake.fields': 'differs in: {fields}', 'intake.mergeInto': 'Merge into this case',
    'intake.proposal': 'The citizen chose "{category}"; {how}: {matter}. Confirm or correct it when accepting.',
    'intake.byModel': 'the model proposes ({p}% sure)', 'intake.byCategory': "the category's usual matter",
    'action.matter': 'Matter (confirm or correct)',
    // the public categories (category-picker.js)
    'category.title': 'What kind of problem', 'category.garbage': 'Garbage & cleaning', 'category.roads': 'Roads & bridges',
    'category.manholes': 'Manholes & pipes', 'category.flooding': 'Standing water & leaks', 'category.lights': 'Street lights',
    'category.traffic': 'Traffic facilities', 'category.trading': 'Street trading', 'category.parking': 'Parking',
    'category.ads': 'Posters & ads', 'category.construction': 'Building sites', 'category.greenery': 'Trees & green',
    'category.facilities': 'Public facilities',
    // the 12345 form (hotline-form.js)
    'nav.hotline': 'Hotline intake', 'hotline.title': '12345 hotline intake', 'hotline.caller': 'Caller', 'hotline.phone': 'Caller\'s number',
    'hotline.suggested': 'Matters the description suggests', 'hotline.none': 'Keep typing the description for suggestions',
    'hotline.use': 'Use', 'hotline.submit': 'File', 'hotline.filed': 'Filed as case {number}',
    // the video review queue (video-review.js)
    'nav.video': 'Video review', 'video.title': 'Video AI · review', 'video.state': 'State', 'video.refresh': 'Refresh',
    'video.state.pending': 'To review', 'video.state.suppressed': 'Below threshold', 'video.state.accepted': 'Accepted', 'video.state.discarded': 'Discarded',
    'video.camera': 'Camera', 'video.confidence': 'Confidence', 'video.sightings': 'seen {n} times', 'video.seen': 'first {first}, last {last}',
    'video.note': 'Note', 'video.plate': 'Plate number', 'video.accept': 'Accept as a case', 'video.discard': 'Discard',
    'video.reason': 'Reason', 'video.accepted': 'Case filed', 'video.discarded': 'Discarded: {reason}', 'video.none': 'Nothing to review',
    'video.reason.false_detection': 'False detection', 'video.reason.not_violation': 'Not a violation', 'video.reason.duplicate': 'Duplicate',
    'video.reason.already_handled': 'Already handled', 'video.reason.other': 'Other (say why in the note)',
    'video.classes': 'Classes and thresholds', 'video.class': 'Class', 'video.matter': 'Matter', 'video.threshold': 'Threshold',
    'video.reviewed': 'To review/below/accepted/discarded', 'video.precision': 'Review precision (90 days)', 'video.suggested': 'Suggested threshold',
    'video.save': 'Save', 'video.saved': 'Saved', 'video.cameras': 'Cameras', 'video.view': 'heading {heading}°, angle {angle}°, {range} m',
    'video.noView': 'no view set', 'video.name': 'Name', 'video.openCase': 'Open the case',
  },
});
