// Texts of the citizen portal (Chinese first, English second).
import { addText } from './i18n.js';

addText({
  zh: {
    'portal.title': '市民随手拍', 'portal.tab.report': '我要反映', 'portal.tab.mine': '我的反映', 'portal.tab.follow': '查询进度',
    'portal.login': '登录后反映，可随时查看进度', 'portal.phone': '手机号', 'portal.password': '密码', 'portal.signIn': '登录',
    'portal.anonymous': '不登录，留下联系方式反映', 'portal.contact': '联系电话（用于告知办理结果）', 'portal.matter': '问题类别', 'portal.describe': '用自己的话说说看到了什么，在哪里',
    'portal.matterSearch': '输入名称搜索类别', 'portal.description': '问题描述', 'portal.address': '地点描述',
    'portal.lon': '经度', 'portal.lat': '纬度', 'portal.locate': '使用我的位置', 'portal.tapMap': '也可点击地图标注问题位置', 'portal.missingFields': '请填写：{fields}', 'portal.photo': '现场照片', 'portal.submit': '提交',
    'portal.thanks': '已收到您的反映，编号 {number}。', 'portal.mergedNote': '该问题已有他人反映（{number}），将一并办理并告知您结果。',
    'portal.keepNumber': '请记下编号，凭编号和联系电话可查询进度。', 'portal.signedIn': '{name}，您好',
    'portal.mine.empty': '您还没有反映过问题', 'portal.mine.login': '请先登录查看您的反映',
    'portal.follow.number': '反映编号', 'portal.follow.submit': '查询', 'portal.follow.notFound': '没有找到该编号和联系电话对应的反映',
    'portal.state': '办理状态', 'portal.reply': '办理结果', 'portal.merged': '与 {number} 为同一问题，一并办理',
    'portal.rate': '请对办理结果评价', 'portal.comment': '您的意见（可选）', 'portal.rated': '您的评价：{value}',
    'satisfaction.satisfied': '满意', 'satisfaction.basicallySatisfied': '基本满意', 'satisfaction.dissatisfied': '不满意',
    'portal.error': '提交失败：{detail}', 'portal.locating': '正在定位…', 'portal.noLocation': '无法获取位置，请手动填写坐标',
  },
  en: {
    'portal.title': 'Report a problem', 'portal.tab.report': 'Report', 'portal.tab.mine': 'My reports', 'portal.tab.follow': 'Track',
    'portal.login': 'Log in to report and follow your reports', 'portal.phone': 'Phone', 'portal.password': 'Password', 'portal.signIn': 'Log in',
    'portal.anonymous': 'Report without an account: leave a contact', 'portal.contact': 'Contact phone (to tell you the outcome)',
    'portal.matter': 'Category', 'portal.describe': 'Say in your own words what you saw and where', 'portal.matterSearch': 'Type to search the categories', 'portal.description': 'What is wrong',
    'portal.address': 'Where', 'portal.lon': 'Longitude', 'portal.lat': 'Latitude', 'portal.locate': 'Use my location', 'portal.tapMap': 'Or tap the map where the problem is', 'portal.missingFields': 'Please fill in: {fields}', 'portal.photo': 'Photo',
    'portal.submit': 'Send', 'portal.thanks': 'Thank you: your report is number {number}.',
    'portal.mergedNote': 'Someone already reported this ({number}); it is handled together and you will hear the outcome.',
    'portal.keepNumber': 'Keep the number: with it and your contact you can track the report.', 'portal.signedIn': 'Hello, {name}',
    'portal.mine.empty': 'You have not reported anything yet', 'portal.mine.login': 'Log in to see your reports',
    'portal.follow.number': 'Report number', 'portal.follow.submit': 'Track', 'portal.follow.notFound': 'No report has this number and contact',
    'portal.state': 'State', 'portal.reply': 'Outcome', 'portal.merged': 'Handled together with {number}',
    'portal.rate': 'How satisfied are you with the outcome?', 'portal.comment': 'Your comment (optional)', 'portal.rated': 'Your rating: {value}',
    'satisfaction.satisfied': 'Satisfied', 'satisfaction.basicallySatisfied': 'Mostly satisfied', 'satisfaction.dissatisfied': 'Not satisfied',
    'portal.error': 'Could not send: {detail}', 'portal.locating': 'Locating…', 'portal.noLocation': 'No position available: enter the coordinates',
  },
});
