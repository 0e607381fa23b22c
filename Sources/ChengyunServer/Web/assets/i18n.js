// Interface text in Chinese (default) and English. Keys follow docs/domain.md's English names.
const dictionaries = {
  zh: {
    'app.name': '城运', 'app.tagline': '城市运行管理服务平台',
    'login.title': '登录', 'login.subtitle': '城市运行管理服务平台 · 一网统管', 'login.username': '用户名',
    'login.password': '密码', 'login.submit': '登录', 'login.failed': '用户名或密码不正确',
    'login.locked': '登录失败次数过多，账号已锁定，请稍后再试或联系管理员', 'login.required': '请输入用户名和密码',
    'nav.home': '工作台', 'nav.areas': '区域与网格', 'nav.departments': '专业部门', 'nav.users': '用户与角色',
    'nav.audit': '审计日志', 'nav.logout': '退出',
    'role.inspector': '监督员', 'role.intake': '受理员', 'role.supervisor': '值班长', 'role.dispatcher': '派遣员',
    'role.handler': '处置人员', 'role.leader': '领导', 'role.admin': '系统管理员',
    'level.city': '市', 'level.district': '区/县', 'level.street': '街道/镇', 'level.community': '社区',
    'home.welcome': '您好，{name}', 'home.roles': '角色', 'home.scope': '管辖范围', 'home.areas': '辖区统计',
    'home.districts': '区县', 'home.streets': '街道', 'home.communities': '社区', 'home.cells': '单元网格',
    'home.departments': '专业部门',
    'areas.title': '区域与网格', 'areas.code': '编码', 'areas.name': '名称', 'areas.level': '层级',
    'areas.cells': '单元网格', 'areas.locate': '坐标定位网格', 'areas.lon': '经度', 'areas.lat': '纬度',
    'areas.find': '查找', 'areas.found': '该点位于：{name}（{code}）', 'areas.notFound': '您的管辖范围内没有网格包含该点',
    'departments.title': '专业部门', 'departments.kind': '类别', 'departments.phone': '电话',
    'users.title': '用户与角色', 'users.username': '用户名', 'users.name': '姓名', 'users.roles': '角色',
    'users.state': '状态', 'users.active': '正常', 'users.inactive': '停用', 'users.locked': '已锁定',
    'audit.title': '审计日志', 'audit.verify': '校验哈希链', 'audit.intact': '哈希链完整：已校验 {n} 条',
    'audit.broken': '哈希链在第 {seq} 条处断开（{reason}）', 'audit.time': '时间', 'audit.actor': '操作人',
    'audit.action': '操作', 'audit.summary': '摘要',
    'common.more': '加载更多', 'common.loading': '加载中…', 'common.error': '出错了：{detail}', 'common.empty': '暂无数据',
  },
  en: {
    'app.name': 'Chengyun', 'app.tagline': 'City operations platform',
    'login.title': 'Log in', 'login.subtitle': 'City operations management service platform', 'login.username': 'Username',
    'login.password': 'Password', 'login.submit': 'Log in', 'login.failed': 'The username or password is not right',
    'login.locked': 'Too many failed logins: the account is locked. Try later or ask an administrator.',
    'login.required': 'Enter your username and password',
    'nav.home': 'Workbench', 'nav.areas': 'Areas and grid', 'nav.departments': 'Departments', 'nav.users': 'Users and roles',
    'nav.audit': 'Audit log', 'nav.logout': 'Log out',
    'role.inspector': 'Inspector', 'role.intake': 'Intake operator', 'role.supervisor': 'Shift supervisor',
    'role.dispatcher': 'Dispatcher', 'role.handler': 'Department handler', 'role.leader': 'Leader', 'role.admin': 'Administrator',
    'level.city': 'City', 'level.district': 'District', 'level.street': 'Street', 'level.community': 'Community',
    'home.welcome': 'Hello, {name}', 'home.roles': 'Roles', 'home.scope': 'Area scope', 'home.areas': 'In your scope',
    'home.districts': 'Districts', 'home.streets': 'Streets', 'home.communities': 'Communities', 'home.cells': 'Grid cells',
    'home.departments': 'Departments',
    'areas.title': 'Areas and grid', 'areas.code': 'Code', 'areas.name': 'Name', 'areas.level': 'Level',
    'areas.cells': 'Grid cells', 'areas.locate': 'Find the grid cell of a position', 'areas.lon': 'Longitude',
    'areas.lat': 'Latitude', 'areas.find': 'Find', 'areas.found': 'The point lies in {name} ({code})',
    'areas.notFound': 'No grid cell in your scope holds this point',
    'departments.title': 'Departments', 'departments.kind': 'Kind', 'departments.phone': 'Phone',
    'users.title': 'Users and roles', 'users.username': 'Username', 'users.name': 'Name', 'users.roles': 'Roles',
    'users.state': 'State', 'users.active': 'Active', 'users.inactive': 'Inactive', 'users.locked': 'Locked',
    'audit.title': 'Audit log', 'audit.verify': 'Verify hash chain', 'audit.intact': 'Chain intact: {n} entries verified',
    'audit.broken': 'Chain broken at entry {seq} ({reason})', 'audit.time': 'Time', 'audit.actor': 'Actor',
    'audit.action': 'Action', 'audit.summary': 'Summary',
    'common.more': 'Load more', 'common.loading': 'Loading…', 'common.error': 'Error: {detail}', 'common.empty': 'Nothing here yet',
  },
};

/** Adds a feature's texts (each feature keeps its own in a file beside it). */
export function addText(more) {
  for (const lang of Object.keys(dictionaries)) Object.assign(dictionaries[lang], more[lang] ?? {});
}

let language = localStorage.getItem('chengyun.lang') === 'en' ? 'en' : 'zh';

export function currentLanguage() { return language; }

export function setLanguage(next) {
  language = next === 'en' ? 'en' : 'zh';
  localStorage.setItem('chengyun.lang', language);
  document.documentElement.lang = language === 'en' ? 'en' : 'zh-CN';
  applyStatic();
}

/** Text for a key, with {placeholders} filled from `values`. */
export function t(key, values = {}) {
  const text = dictionaries[language][key] ?? dictionaries.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}

/** Re-labels every element marked with data-i18n. */
export function applyStatic(root = document) {
  for (const element of root.querySelectorAll('[data-i18n]')) element.textContent = t(element.dataset.i18n);
  document.title = `${t('app.name')} · ${t('app.tagline')}`;
}
