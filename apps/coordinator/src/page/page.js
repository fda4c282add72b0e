// The page's only script, plain ES module, no build step. It posts the forms
// to the coordinator's API, follows a simulation live over its server-sent
// events, and shows the chart the server draws (GET .../timeline.svg),
// inlined so every bar is in the DOM and can be inspected.

const ui = {
  simulationForm: byId('simulation-form'),
  queueForm: byId('queue-form'),
  result: byId('result'),
  status: byId('status'),
  progressLine: byId('progress-line'),
  progress: byId('progress'),
  progressText: byId('progress-text'),
  error: byId('error'),
  summary: byId('summary'),
  figure: byId('chart-figure'),
  chart: byId('chart'),
  caption: byId('chart-caption'),
  linkLine: byId('chart-link-line'),
  link: byId('chart-link'),
  tokenDetails: byId('token-details'),
  token: byId('api-token'),
};

// The token lives in this tab's session storage only: gone when the tab closes.
ui.token.value = sessionStorage.getItem('coordinator-token') ?? '';
ui.token.addEventListener('change', () => sessionStorage.setItem('coordinator-token', ui.token.value.trim()));

const CAPTIONS = {
  simulation:
    "One row per task in each mode; each bar runs from the task's start to its finish, coloured by the process (pid) or, on worker threads, the thread that ran it. " +
    "Solid line: the mode's total time; dashed: its ideal (the sum of the durations one after another, the longest side by side). Point at a bar for its details.",
  queue:
    "The writer's lane has a tick per item written; the queue's lane shows each item's wait in the stream, from written to taken by a reader " +
    "(its height is how many waited at once); each reader process has a lane with its reads. Solid line: the run's total time.",
};

const MAX_QUEUE_ITEMS = 10_000;
/**
 * The coordinator draws the chart on every fetch, on the event loop the
 * simulation is timed on: while a run goes, redraw at most this often, and
 * not at all for big runs (their chart comes at the end), so watching a run
 * does not skew what it measures.
 */
const LIVE_REDRAW_MS = 500;
const LIVE_REDRAW_MAX_TASKS = 250;

/** The run on show; a newer one takes its place, and the older one's late answers are ignored. */
let active;

function byId(id) {
  const element = document.getElementById(id);
  if (!element) throw new Error(`the page has no #${id}`);
  return element;
}

class ApiError extends Error {
  constructor(message, invalidParams = []) {
    super(message);
    this.invalidParams = invalidParams;
  }
}

/** The API answers errors as problem+json: its `detail` says what went wrong in words. */
async function problemOf(response) {
  const body = await response.json().catch(() => undefined);
  const detail = body?.detail ?? body?.title ?? `${response.status} ${response.statusText}`;
  return new ApiError(detail, Array.isArray(body?.invalidParams) ? body.invalidParams : []);
}

async function postJson(path, body) {
  const token = ui.token.value.trim();
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  if (response.status === 401) {
    // The coordinator wants its token: open the field where it goes.
    ui.tokenDetails.open = true;
    ui.token.focus();
  }
  if (!response.ok) throw await problemOf(response);
  return { status: response.status, body: await response.json() };
}

/** A number field's value; an empty one is left out so the API's default applies, anything else goes as typed for the API to judge. */
function numberField(form, name) {
  const raw = form.elements.namedItem(name).value.trim();
  return raw === '' ? undefined : Number(raw);
}

function begin(kind) {
  active?.source?.close();
  const run = { kind, source: undefined };
  active = run;
  for (const field of document.querySelectorAll('[aria-invalid]')) field.removeAttribute('aria-invalid');
  ui.error.hidden = true;
  ui.error.replaceChildren();
  ui.summary.replaceChildren();
  ui.chart.replaceChildren();
  ui.figure.hidden = true;
  ui.figure.removeAttribute('data-status');
  ui.figure.dataset.kind = kind;
  ui.caption.textContent = CAPTIONS[kind];
  ui.linkLine.hidden = true;
  ui.progressLine.hidden = true;
  ui.result.setAttribute('aria-busy', 'true');
  return run;
}

const isActive = (run) => run === active;

function setStatus(run, text) {
  if (isActive(run)) ui.status.textContent = text;
}

function setProgress(run, done, total) {
  if (!isActive(run)) return;
  ui.progressLine.hidden = false;
  if (total === undefined) {
    ui.progress.removeAttribute('value'); // indeterminate: the queue's answer comes in one piece
    ui.progressText.textContent = '';
    return;
  }
  ui.progress.max = total;
  ui.progress.value = done;
  ui.progressText.textContent = `${done} of ${total} tasks finished`;
}

function showError(run, error, form) {
  if (!isActive(run)) return;
  ui.result.removeAttribute('aria-busy');
  ui.progressLine.hidden = true;
  ui.status.textContent = 'The run did not go through.';
  const message = document.createElement('p');
  message.textContent = error instanceof Error ? error.message : String(error);
  ui.error.replaceChildren(message);
  const params = error instanceof ApiError ? error.invalidParams : [];
  if (params.length > 1) {
    const list = document.createElement('ul');
    for (const param of params) {
      const item = document.createElement('li');
      item.textContent = `${param.name}: ${param.reason}`;
      list.append(item);
    }
    ui.error.append(list);
  }
  // Point at the fields the API named, where the form has them.
  for (const param of params) form?.elements.namedItem(param.name)?.setAttribute?.('aria-invalid', 'true');
  ui.error.hidden = false;
}

/** Fetches a chart and puts it in the page. The SVG is parsed as XML, so a malformed one is refused, not half shown. */
async function drawChart(run, url) {
  const response = await fetch(url, { headers: { accept: 'image/svg+xml' }, cache: 'no-store' });
  if (!response.ok) throw await problemOf(response);
  const parsed = new DOMParser().parseFromString(await response.text(), 'image/svg+xml');
  const svg = parsed.documentElement;
  if (svg.nodeName !== 'svg' || parsed.getElementsByTagName('parsererror').length > 0) throw new Error('The chart came back malformed.');
  if (!isActive(run)) return;
  ui.chart.replaceChildren(document.importNode(svg, true));
  ui.figure.hidden = false;
  ui.link.href = url;
  ui.linkLine.hidden = false;
}

/**
 * Redraws the chart as events come in, one fetch at a time: calls during a
 * fetch ask for one more afterwards, so the last call is always drawn and a
 * burst of events costs two fetches, not one each.
 */
function chartRefresher(run, url) {
  let current;
  let again = false;
  return function refresh() {
    if (current) {
      again = true;
      return current;
    }
    current = (async () => {
      try {
        do {
          again = false;
          await drawChart(run, url);
        } while (again && isActive(run));
      } finally {
        current = undefined;
      }
    })();
    return current;
  };
}

function cell(row, text, header = false) {
  const element = document.createElement(header ? 'th' : 'td');
  element.textContent = text;
  if (header) element.scope = 'col';
  row.append(element);
}

function table(caption, headings, rows) {
  const element = document.createElement('table');
  element.createCaption().textContent = caption;
  const head = element.createTHead().insertRow();
  for (const heading of headings) cell(head, heading, true);
  const body = element.createTBody();
  for (const values of rows) {
    const row = body.insertRow();
    values.forEach((value) => cell(row, value));
  }
  return element;
}

const ms = (value) => `${Number(value).toLocaleString('en-US', { maximumFractionDigits: 1 })} ms`;
const times = (value) => `${Number(value).toFixed(2)}x`;
const percent = (value) => `${Math.round(Number(value) * 100)}%`;

function simulationSummary(report) {
  const rows = report.mode === 'compare' ? report.table : [report];
  const ranIn = (mode) => {
    const tasks = (report.mode === 'compare' ? report.runs[mode]?.tasks : report.tasks) ?? [];
    const pids = new Set(tasks.map((task) => task.pid)).size;
    const threads = new Set(tasks.filter((task) => task.threadId !== 0).map((task) => `${task.pid}:${task.threadId}`)).size;
    const processes = `${pids} process${pids === 1 ? '' : 'es'}`;
    return threads > 0 ? `${threads} thread${threads === 1 ? '' : 's'} in ${processes}` : processes;
  };
  return table(
    `${report.workload} workload, seed ${report.seed}, ${report.hostCores} cores`,
    ['mode', 'total', 'ideal', 'overhead', 'speedup', 'efficiency', 'ran in'],
    rows.map((row) => [
      row.mode,
      ms(row.totalMs),
      ms(row.idealMs),
      ms(row.overheadMs),
      times(row.speedup),
      percent(row.efficiency),
      ranIn(row.mode),
    ]),
  );
}

function queueSummary(report) {
  return table(
    `${report.items} items over ${report.transport}, readers ${report.readerStart === 'after-writer' ? 'after the writer' : 'alongside the writer'}`,
    ['total', 'items/s', 'writer', 'readers (items read)', 'redelivered', 'longest wait'],
    [
      [
        ms(report.totalMs),
        report.itemsPerSecond.toLocaleString('en-US'),
        `pid ${report.writerPid}`,
        report.readers.map((reader) => `pid ${reader.pid} (${reader.items})`).join(', '),
        String(report.redelivered),
        ms(Math.max(0, ...report.timeline.map((entry) => entry.queuedMs))),
      ],
    ],
  );
}

async function finishSimulation(run, report, refresh) {
  await refresh(); // the finished chart, drawn after any redraw still in flight
  if (!isActive(run)) return;
  ui.summary.replaceChildren(simulationSummary(report));
  ui.figure.dataset.status = 'finished';
  ui.result.removeAttribute('aria-busy');
  ui.progressLine.hidden = true;
  setStatus(run, `Simulation ${report.runId} finished.`);
}

/** Follows a running simulation over GET /simulations/:id/events until it ends. */
function watchSimulation(run, accepted, refresh) {
  return new Promise((resolve, reject) => {
    const source = new EventSource(accepted.links.events);
    run.source = source;
    const total = accepted.tasks * accepted.modes.length;
    // Keyed by mode and task: if the stream reconnects, the server replays every event, and none counts twice.
    const finished = new Set();
    const current = { mode: '' };
    let redraw;
    const scheduleRedraw = () => {
      if (total > LIVE_REDRAW_MAX_TASKS || redraw !== undefined) return;
      redraw = setTimeout(() => {
        redraw = undefined;
        refresh().catch((error) => showError(run, error));
      }, LIVE_REDRAW_MS);
    };
    const stopRedraws = () => {
      clearTimeout(redraw);
      redraw = 0; // and none after
    };
    const onTask = (message) => {
      const event = JSON.parse(message.data);
      if (event.type === 'task-finished') finished.add(`${event.mode}:${event.index}`);
      if (event.mode !== current.mode) {
        current.mode = event.mode;
        setStatus(
          run,
          `Simulation ${accepted.id}: running ${event.mode} (${accepted.modes.indexOf(event.mode) + 1} of ${accepted.modes.length} modes).`,
        );
      }
      setProgress(run, finished.size, total);
      scheduleRedraw();
    };
    source.addEventListener('task-started', onTask);
    source.addEventListener('task-finished', onTask);
    source.addEventListener('run-finished', (message) => {
      source.close();
      stopRedraws();
      resolve(JSON.parse(message.data).report);
    });
    source.addEventListener('run-failed', (message) => {
      source.close();
      stopRedraws();
      const event = JSON.parse(message.data);
      reject(new Error(`The simulation ${event.status === 'cancelled' ? 'was cancelled' : 'failed'}: ${event.error}`));
    });
    source.addEventListener('error', () => {
      // While CONNECTING the browser retries by itself; CLOSED means it gave up (a 404 or 429 answer).
      if (source.readyState !== EventSource.CLOSED) return;
      stopRedraws();
      reject(new Error(`Lost the events of simulation ${accepted.id}; reload GET ${accepted.links.self} to see how it went.`));
    });
  });
}

async function runSimulation(form) {
  const run = begin('simulation');
  const mode = form.elements.namedItem('mode').value;
  const body = {
    mode,
    workload: form.elements.namedItem('workload').value,
    count: numberField(form, 'count'),
    minMs: numberField(form, 'minMs'),
    maxMs: numberField(form, 'maxMs'),
    // Answer at once: the run is followed live over its events.
    waitMs: 0,
  };
  setStatus(run, 'Starting the simulation…');
  try {
    const { status, body: answer } = await postJson('/simulations', body);
    // 201: done before the answer (a run of a few ms); 202: under way.
    const id = status === 201 ? answer.runId : answer.id;
    const refresh = chartRefresher(run, `/simulations/${encodeURIComponent(id)}/timeline.svg`);
    if (status === 201) {
      await finishSimulation(run, answer, refresh);
      return;
    }
    setStatus(run, `Simulation ${id}: started.`);
    setProgress(run, 0, answer.tasks * answer.modes.length);
    const report = await watchSimulation(run, answer, refresh);
    await finishSimulation(run, report, refresh);
  } catch (error) {
    showError(run, error, form);
  }
}

async function runQueue(form) {
  const run = begin('queue');
  const count = numberField(form, 'items');
  if (!Number.isInteger(count) || count < 1 || count > MAX_QUEUE_ITEMS) {
    // The API takes the items themselves; the page makes them from this count, so it checks the count itself.
    showError(
      run,
      new ApiError(`items: must be a whole number from 1 to ${MAX_QUEUE_ITEMS.toLocaleString('en-US')}`, [
        { name: 'items', reason: 'out of range' },
      ]),
      form,
    );
    return;
  }
  const body = {
    items: Array.from({ length: count }, (_, i) => `item ${i + 1}`),
    writeDelayMs: numberField(form, 'writeDelayMs'),
    readDelayMs: numberField(form, 'readDelayMs'),
    transport: form.elements.namedItem('transport').value,
    readerStart: form.elements.namedItem('readerStart').value,
  };
  setStatus(run, `Queue run: the writer writes ${count} items and the readers read them; the answer comes once every item is read.`);
  setProgress(run, 0, undefined);
  try {
    const { body: report } = await postJson('/queue-runs', body);
    // The coordinator keeps the latest finished runs, so it can draw this one.
    await drawChart(run, `/queue-runs/${encodeURIComponent(report.runId)}/timeline.svg`);
    if (!isActive(run)) return;
    ui.summary.replaceChildren(queueSummary(report));
    ui.figure.dataset.status = 'finished';
    ui.result.removeAttribute('aria-busy');
    ui.progressLine.hidden = true;
    setStatus(run, `Queue run ${report.runId} finished.`);
  } catch (error) {
    showError(run, error, form);
  }
}

ui.simulationForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void runSimulation(ui.simulationForm);
});
ui.queueForm.addEventListener('submit', (event) => {
  event.preventDefault();
  void runQueue(ui.queueForm);
});
/**
 * The modes come from the API document (GET /openapi.json), which takes them
 * from the coordinator's mode registry: a new mode shows here without an
 * edit. Without the document the page still offers compare, of every mode.
 */
async function loadModes() {
  try {
    const response = await fetch('/openapi.json', { headers: { accept: 'application/json' } });
    if (!response.ok) return;
    const api = await response.json();
    const modes = api.components?.schemas?.SimulationRequest?.properties?.modes?.items?.enum;
    if (!Array.isArray(modes)) return;
    const select = ui.simulationForm.elements.namedItem('mode');
    // Compare runs the modes that need nothing beyond the coordinator (distributed needs downloaders): pick it alone.
    select.querySelector('option[value="compare"]').textContent = 'compare: every mode on the coordinator\u2019s host';
    select.append(...modes.map((mode) => new Option(mode, mode)));
  } catch {
    // Offline or a proxy in the way: compare alone still works.
  }
}

void loadModes().finally(() => {
  document.documentElement.dataset.ready = 'true';
});
