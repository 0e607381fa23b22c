// The "page not found" page shows the language chosen in the interface (kept in this browser).
const chosen = localStorage.getItem('chengyun.lang');
if (chosen === 'en' || chosen === 'zh') {
  document.documentElement.lang = chosen === 'en' ? 'en' : 'zh-CN';
  for (const section of document.querySelectorAll('[data-lang]')) section.hidden = section.dataset.lang !== chosen;
}
