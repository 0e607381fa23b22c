// How the pages name things: a matter's (or a case's) code from its kind and codes, e.g. E0102,
// and a record's name by id from a loaded list.
export const matterCode = (m) => `${m.kind === 'component' ? 'C' : 'E'}${m.majorCode}${m.minorCode}`;
export const nameOf = (list, id) => list.find((x) => x.id === id)?.name ?? '—';
