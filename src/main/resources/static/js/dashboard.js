(() => {
  const $ = id => document.getElementById(id);
  let page = 0, token = null;
  async function call(method, url) {
    const r = await fetch(url, { method, credentials: 'same-origin', headers: { Accept: 'application/json', 'X-XSRF-TOKEN': token || '' } });
    const b = await r.json().catch(() => ({}));
    if (!r.ok) throw new Error(b.detail || ('Error ' + r.status));
    return b;
  }
  function cell(tr, value, cls) { const td = document.createElement('td'); td.textContent = value == null ? '' : value; if (cls) td.className = cls; tr.appendChild(td); return td; }
  async function loadMail(more) {
    page = more ? page + 1 : 0;
    const status = $('mail-status').value;
    const p = await call('GET', '/api/notifications?size=20&page=' + page + (status ? '&status=' + status : ''));
    $('mail-counts').textContent = Object.entries(p.countsByStatus).map(([k, v]) => v + ' ' + k.toLowerCase()).join(' · ');
    const tbody = $('mail-rows'); if (!more) tbody.replaceChildren();
    p.items.forEach(n => {
      const tr = document.createElement('tr');
      cell(tr, n.recipient + (n.email ? ' <' + n.email + '>' : ''));
      cell(tr, n.subject + ' (' + n.reason + ')');
      cell(tr, n.status + (n.attempts ? ' · ' + n.attempts + ' attempt(s)' : ''), n.status === 'FAILED' ? 'late' : null);
      cell(tr, n.lastError || (n.sentAt ? 'sent ' + new Date(n.sentAt).toLocaleString()
        : n.status === 'HELD' ? 'held since ' + new Date(n.heldAt).toLocaleString() : 'next try ' + new Date(n.nextAttemptAt).toLocaleString()), 'muted');
      const act = cell(tr, '');
      if ((n.status === 'FAILED' || n.status === 'PENDING') && token) {
        const b = document.createElement('button'); b.className = 'quiet'; b.textContent = n.status === 'FAILED' ? 'Retry' : 'Send now';
        b.onclick = async () => { try { await call('POST', '/api/notifications/' + n.id + '/retry'); loadMail(); } catch (e) { alert(e.message); } };
        act.appendChild(b);
      }
      tbody.appendChild(tr);
    });
    if (!p.items.length && !more) { const tr = document.createElement('tr'); cell(tr, 'Nothing here.', 'muted').colSpan = 5; tbody.appendChild(tr); }
    $('mail-more').hidden = (page + 1) * p.size >= p.total;
  }
  (async () => {
    const me = await fetch('/api/session', { credentials: 'same-origin', headers: { Accept: 'application/json' } }).then(r => r.ok ? r.json() : null);
    if (!me || !me.coordinator) return;
    token = me.csrfToken || null;
    $('mail-main').hidden = false;
    $('mail-status').onchange = () => loadMail();
    $('mail-more').onclick = () => loadMail(true);
    if (token) {
      $('mail-digests').hidden = false;
      $('mail-digests').onclick = async () => { try { const r = await call('POST', '/api/notifications/digests'); alert(r.digests + ' digest mail(s) written.'); loadMail(); } catch (e) { alert(e.message); } };
    }
    loadMail();
  })();
})();

const STAGE_NAMES = { MATCHING: 'Matching (双向选择)', AGREEMENT: 'Agreement (三方协议)', MENTORING: 'Mentors & plan',
  SUPERVISION: 'Weekly reports (周志)', EVALUATION: 'Evaluation (鉴定)', COMPLETED: 'Completed', ENDED: 'Ended early or changed (终止/调岗)' };
const el = id => document.getElementById(id);
const text = s => document.createTextNode(s == null ? '' : String(s));
function row(cells, cls) {
  const tr = document.createElement('tr');
  cells.forEach((c, i) => { const td = document.createElement('td'); td.appendChild(text(c)); if (cls && cls[i]) td.className = cls[i]; tr.appendChild(td); });
  return tr;
}
// server data is only ever text (textContent, DOM nodes), never parsed as markup
function show(message, link) {
  const m = el('message'); m.hidden = false; m.textContent = message;
  if (link) { const a = document.createElement('a'); a.href = link.href; a.textContent = link.text; m.append(' ', a); }
}
async function get(url) {
  const r = await fetch(url, { headers: { Accept: 'application/json' }, credentials: 'same-origin' });
  if (r.status === 401) { show('请重新登录。 Please log in again.', { href: '/login', text: '登录 Log in' }); throw new Error('401'); }
  if (!r.ok) { const b = await r.json().catch(() => ({})); show(b.detail || ('Error ' + r.status)); throw new Error(r.status); }
  return r.json();
}
// the per-student table one page at a time, sorted by the server (issue 12): a cohort of thousands stays quick
const PAGE_SIZE = 100;
let page = 0, sort = 'overdue';
async function load(cohortId) {
  const s = await get('/api/cohorts/' + encodeURIComponent(cohortId) + '/status?page=' + page + '&size=' + PAGE_SIZE
    + '&sort=' + sort + '&direction=' + (sort === 'overdue' ? 'desc' : 'asc'));
  el('at').textContent = s.students + ' students · ' + s.term + ' · as of ' + new Date(s.at).toLocaleString()
    + (s.overdueTotal > s.overdueTasks.length ? ' · ' + s.overdueTotal + ' overdue tasks in all, those of this page below' : '');
  const stages = el('stages'); stages.replaceChildren();
  Object.entries(s.studentsPerStage).forEach(([stage, n]) => {
    const d = document.createElement('div'); d.className = 'stage';
    const count = document.createElement('div'); count.className = 'n'; count.textContent = n;
    const name = document.createElement('div'); name.className = 'muted'; name.textContent = STAGE_NAMES[stage] || stage;
    const bar = document.createElement('div'); bar.className = 'bar'; const fillBar = document.createElement('div');
    fillBar.style.width = (s.students ? 100 * n / s.students : 0) + '%'; bar.appendChild(fillBar);
    d.append(count, name, bar);
    stages.appendChild(d);
  });
  const overdue = el('overdue'); overdue.replaceChildren();
  await lookUpPeople([...s.overdueTasks.map(t => t.assignee),
    ...s.studentStages.flatMap(st => st.attendance.corrections.map(c => c.decidedBy))]);
  s.overdueTasks.forEach(t => overdue.appendChild(row([t.studentNumber, t.name, withWhom(t),
    new Date(t.due).toLocaleDateString()], [null, null, null, 'late'])));
  if (!s.overdueTasks.length) { const r = row(['Nothing overdue.']); r.firstChild.colSpan = 4; r.firstChild.className = 'muted'; overdue.appendChild(r); }
  const students = el('students'); students.replaceChildren();
  s.studentStages.forEach(st => {
    const tr = row([st.studentNumber, st.studentName, STAGE_NAMES[st.stage] || st.stage, st.openTasks, st.overdueTasks || ''],
      [null, null, null, null, st.overdueTasks ? 'late' : null]);
    if (st.minor) tr.children[1].appendChild(tag('under 18 未成年', 'minor'));
    attendanceCell(tr, st.attendance, ['SUPERVISION', 'EVALUATION', 'COMPLETED'].includes(st.stage));
    hoursCell(tr, st.hours, s.weeklyHoursLimit);
    if (st.minor && st.hours.weeksOverLimit) tr.className = 'minor-over';
    tr.onclick = () => showStudent(st.studentNumber);
    students.appendChild(tr);
  });
  summarise(s);
  pager(cohortId, s);
  ['stages-section', 'overdue-section', 'students-section'].forEach(id => el(id).hidden = false);
  loadPositions(cohortId);
}
function pager(cohortId, s) {
  const p = el('students-pager'); p.replaceChildren();
  const pages = Math.max(1, Math.ceil(s.page.matching / PAGE_SIZE));
  p.appendChild(text('Sort by '));
  [['overdue', 'most overdue'], ['student', 'number'], ['name', 'name'], ['stage', 'stage']].forEach(([key, label]) => {
    const b = document.createElement('button'); b.className = 'quiet'; b.textContent = label; b.disabled = key === sort;
    b.onclick = () => { sort = key; page = 0; load(cohortId); }; p.appendChild(b);
  });
  p.appendChild(text(' · page ' + (page + 1) + ' of ' + pages + ' '));
  const step = (label, to) => { const b = document.createElement('button'); b.className = 'quiet'; b.textContent = label;
    b.disabled = to < 0 || to >= pages; b.onclick = () => { page = to; load(cohortId); }; p.appendChild(b); };
  step('previous', page - 1); step('next', page + 1);
}
function tag(label, cls) { const t = document.createElement('span'); t.className = 'tag ' + (cls || ''); t.textContent = label; return t; }
function part(td, label, cls, prefix) {
  if (td.childNodes.length) td.appendChild(text(' · '));
  if (prefix) td.appendChild(text(prefix));
  const sp = document.createElement('span'); sp.textContent = label; if (cls) sp.className = cls; td.appendChild(sp);
  return sp;
}
const plural = (n, one, many) => n + ' ' + (n === 1 ? one : many);
// closed monthly periods: confirmed of all, corrected (comments on hover and in the student's details), waiting, overdue
function attendanceCell(tr, a, supervised) {
  const td = document.createElement('td'); tr.appendChild(td);
  if (!a || !a.periods || !(supervised || a.confirmed || a.corrected || a.waiting)) return;
  if (!a.confirmed && !a.corrected && !a.waiting) { part(td, 'no period closed yet', 'muted'); return; }
  part(td, a.confirmed + ' of ' + a.periods + ' confirmed', a.corrected || a.waiting ? null : 'muted');
  if (a.corrected) part(td, a.corrected + ' corrected', 'late').title = a.corrections.map(c => 'Period ' + c.period + ' ('
    + c.start + ' – ' + c.end + '), ' + person(c.decidedBy) + ': ' + c.comment).join('\n');
  if (a.waiting) part(td, a.waiting + ' waiting' + (a.overdue ? ', ' + a.overdue + ' overdue' : ''), a.overdue ? 'late' : null);
}
function hoursCell(tr, h, limit) {
  const td = document.createElement('td'); tr.appendChild(td);
  if (!h || h.mostInOneWeek == null) return;
  if (h.weeksOverLimit) part(td, plural(h.weeksOverLimit, 'week', 'weeks') + ' over ' + limit + ' h', 'late');
  part(td, 'most ' + h.mostInOneWeek + ' h (week ' + h.mostHoursWeek + ')', h.weeksOverLimit ? null : 'muted');
}
function summarise(s) {
  const p = el('students-summary'); p.replaceChildren();
  const st = s.studentStages, count = f => st.filter(f).length;
  const corrected = count(x => x.attendance.corrected), waiting = count(x => x.attendance.waiting),
    overdue = count(x => x.attendance.overdue), over = count(x => x.hours.weeksOverLimit),
    minorsOver = count(x => x.hours.weeksOverLimit && x.minor);
  part(p, corrected ? plural(corrected, 'student', 'students') + ' with a corrected period' : 'no corrected period',
    corrected ? 'late' : 'muted', 'Attendance: ');
  part(p, waiting ? plural(waiting, 'student', 'students') + ' waiting for confirmation' + (overdue ? ' (' + overdue + ' overdue)' : '')
    : 'none waiting', overdue ? 'late' : waiting ? null : 'muted');
  part(p, over ? plural(over, 'student', 'students') + ' reported weeks over ' + s.weeklyHoursLimit + ' h' : 'no week over '
    + s.weeklyHoursLimit + ' h', over ? null : 'muted', 'Hours: ');
  if (over) part(p, minorsOver ? minorsOver + ' of them under 18' : 'none of them under 18', minorsOver ? 'late' : 'muted');
}
const when = d => d ? new Date(d).toLocaleString() : '';
// Names of enterprises instead of their ids; people are shown by their login (the engine's user API is for administrators)
const people = {}, enterprises = {};
async function lookUpPeople(ids) {
  const missing = [...new Set(ids.filter(id => id && !(id in people)))];
  if (!missing.length) return;
  missing.forEach(id => { if (!(id in people)) people[id] = id; });
}
const person = id => id ? (people[id] || id) : '';
const withWhom = t => t.assignee ? person(t.assignee) : (t.candidateGroups || []).join(', ');
async function lookUpEnterprises() {
  if (Object.keys(enterprises).length) return;
  try { (await get('/api/enterprises')).forEach(e => { enterprises[e.id] = e.name; }); } catch (e) { /* ids it is */ }
}
function fill(id, rows, empty) {
  const tbody = el(id); tbody.replaceChildren();
  rows.forEach(r => tbody.appendChild(row(r.cells, r.cls)));
  if (!rows.length) { const r = row([empty]); r.firstChild.colSpan = 3; r.firstChild.className = 'muted'; tbody.appendChild(r); }
}
async function showStudent(number) {
  const l = await get('/api/students/' + encodeURIComponent(number) + '/lifecycle');
  const audit = await get('/api/students/' + encodeURIComponent(number) + '/audit');
  // a student still in matching has no placement dates and no periods yet
  const attendance = await fetch('/api/students/' + encodeURIComponent(number) + '/attendance',
    { headers: { Accept: 'application/json' }, credentials: 'same-origin' }).then(r => r.ok ? r.json() : []);
  await Promise.all([lookUpEnterprises(), lookUpPeople([l.schoolMentor, l.enterpriseMentor,
    ...l.openTasks.map(t => t.assignee), ...l.completedSteps.map(x => x.doneBy), ...audit.entries.map(e => e.who), ...attendance.map(a => a.decided_by)])]);
  // task names end with the student, which this whole section is about
  const ofStudent = ' · ' + l.studentName + ' (' + l.studentNumber + ')';
  const task = name => name && name.endsWith(ofStudent) ? name.slice(0, -ofStudent.length) : name;
  el('student-title').textContent = l.studentName + ' (' + l.studentNumber + ') · ' + (STAGE_NAMES[l.stage] || l.stage);
  el('student-summary').textContent = [l.term, l.enterpriseId && ('at ' + (enterprises[l.enterpriseId] || l.enterpriseId)),
    l.schoolMentor && ('school mentor ' + person(l.schoolMentor)), l.enterpriseMentor && ('enterprise mentor ' + person(l.enterpriseMentor))]
    .filter(Boolean).join(' · ');
  fill('student-open', l.openTasks.map(t => ({ cells: [task(t.name), withWhom(t),
    t.due ? new Date(t.due).toLocaleDateString() : ''], cls: [null, null, t.overdue ? 'late' : null] })), 'No open tasks.');
  fill('student-matching', (l.matching || []).map(m => ({ cells: [m.round || 'by hand',
    m.status.toLowerCase() + (m.position ? ': ' + m.position : ''), m.reason + (m.decisionNote ? ' — ' + m.decisionNote : '')] })),
    'No matching results yet.');
  const statusOf = a => a.status === 'CONFIRMED' ? 'confirmed by ' + person(a.decided_by)
    : a.status === 'CORRECTED' ? 'corrected by ' + person(a.decided_by) + ': ' + a.comment : 'waiting for the enterprise mentor';
  fill('student-attendance', attendance.map(a => ({ cells: [a.period_no + ' · ' + a.period_start + ' – ' + a.period_end,
    a.weeks_reported + ' of ' + a.weeks_due, a.hours_reported + ' h' + (a.weeks_over_limit ? ' (' + plural(a.weeks_over_limit,
    'week', 'weeks') + ' over 40 h)' : ''), statusOf(a)], cls: [null, a.weeks_reported < a.weeks_due ? 'late' : null,
    a.weeks_over_limit ? 'late' : null, a.status === 'CORRECTED' ? 'late' : a.status === 'OPEN' ? null : 'muted'] })),
    'No attendance period has closed yet.');
  fill('student-done', l.completedSteps.slice().reverse().map(x => ({ cells: [task(x.name), person(x.doneBy), when(x.doneAt)] })), 'Nothing done yet.');
  const auditRows = el('student-audit'); auditRows.replaceChildren();
  audit.entries.forEach(e => auditRows.appendChild(row([when(e.at), e.who ? person(e.who) : 'system', task(e.action),
    (e.detail || '').replace(/^assignee → (.+)$/, (m, id) => 'assignee → ' + person(id))])));
  el('student-section').hidden = false;
  el('student-section').scrollIntoView({ behavior: 'smooth' });
}
async function send(method, url, body) {
  const r = await fetch(url, { method, credentials: 'same-origin', headers: { Accept: 'application/json',
    'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken }, body: body ? JSON.stringify(body) : undefined });
  const b = await r.json().catch(() => ({}));
  if (!r.ok) { show(b.detail || ('Error ' + r.status)); throw new Error(r.status); }
  el('message').hidden = true;
  return b;
}
async function loadPositions(cohortId) {
  const positions = await get('/api/cohorts/' + encodeURIComponent(cohortId) + '/positions');
  const tbody = el('positions'); tbody.replaceChildren();
  positions.forEach(p => {
    const tr = row([p.enterpriseName + ' · ' + p.title, p.majorCode, p.capacity, p.startDate + ' – ' + p.endDate,
      p.status === 'OPEN' ? 'open' : 'closed', ''], [null, null, null, null, p.status === 'OPEN' ? null : 'muted']);
    if (p.status === 'OPEN' && canChange) {
      const b = document.createElement('button'); b.className = 'quiet'; b.textContent = 'Close';
      b.onclick = async () => { if (confirm('Close ' + p.title + '? It can no longer be ranked or offered.')) {
        await send('POST', '/api/positions/' + p.id + '/close'); loadPositions(cohortId); } };
      tr.lastChild.appendChild(b);
    }
    tbody.appendChild(tr);
  });
  if (!positions.length) { const r = row(['No positions yet.']); r.firstChild.colSpan = 6; tbody.appendChild(r); }
  el('positions-section').hidden = false;
}
let canChange = false;
async function preparePublishing() {
  const [enterprises, majors] = await Promise.all([get('/api/enterprises'), get('/api/majors')]);
  const form = el('publish-form');
  enterprises.filter(e => e.vetting === 'VALID').forEach(e => { const o = document.createElement('option'); o.value = e.id; o.textContent = e.name; form.enterpriseId.appendChild(o); });
  majors.forEach(m => { const o = document.createElement('option'); o.value = m.code; o.textContent = m.name; form.majorCode.appendChild(o); });
  form.onsubmit = async ev => {
    ev.preventDefault();
    const f = new FormData(form);
    await send('POST', '/api/positions', { enterpriseId: f.get('enterpriseId'), cohortId: el('cohort').value,
      majorCode: f.get('majorCode'), title: f.get('title'), capacity: Number(f.get('capacity')),
      startDate: f.get('startDate'), endDate: f.get('endDate'), workKind: f.get('workKind'), venueType: f.get('venueType'),
      monthlyPay: Number(f.get('monthlyPay')), postWage: Number(f.get('postWage')), postStaff: Number(f.get('postStaff')),
      studentFee: Number(f.get('studentFee') || 0), durationReason: f.get('durationReason') || null });
    form.title.value = '';
    loadPositions(el('cohort').value);
  };
  el('publish').hidden = false;
}
let csrfToken = null;
async function runMatching() {
  const cohortId = el('cohort').value;
  if (!confirm('Run the next matching round for ' + cohortId + '? Offers go out to the enterprises at once.')) return;
  el('run').disabled = true;
  try {
    const r = await fetch('/api/cohorts/' + encodeURIComponent(cohortId) + '/matching-runs', { method: 'POST',
      credentials: 'same-origin', headers: { Accept: 'application/json', 'X-XSRF-TOKEN': csrfToken } });
    const b = await r.json().catch(() => ({}));
    if (!r.ok) { show(b.detail || ('Error ' + r.status)); return; }
    el('message').hidden = true;
    el('run-title').textContent = 'Matching round ' + b.round + (b.lastRound ? ' (the last)' : '');
    el('run-note').textContent = b.waitingForPreferences.length
      ? b.waitingForPreferences.length + ' student(s) had not ranked their preferences yet and wait for the next round.' : '';
    const tbody = el('run-results'); tbody.replaceChildren();
    b.results.forEach(x => tbody.appendChild(row([x.studentNumber + ' ' + x.studentName,
      x.position ? 'Offered: ' + x.position : 'No offer', x.reason])));
    el('run-section').hidden = false;
    load(cohortId);
  } finally { el('run').disabled = false; }
}
(async () => {
  const me = await get('/api/session');
  csrfToken = me.csrfToken || null;
  if (me.coordinator && csrfToken) {
    canChange = true;
    el('run').hidden = false; el('run').onclick = runMatching;
    preparePublishing();
  }
  const cohorts = await get('/api/cohorts');
  if (!cohorts.length) { show('No cohorts yet.'); return; }
  const select = el('cohort');
  cohorts.forEach(c => { const o = document.createElement('option'); o.value = c.id; o.textContent = c.name; select.appendChild(o); });
  const wanted = new URLSearchParams(location.search).get('cohort');
  if (wanted) select.value = wanted;
  select.onchange = () => { page = 0; load(select.value); };
  await load(select.value);
  const student = new URLSearchParams(location.search).get('student');
  if (student) showStudent(student);
})();
