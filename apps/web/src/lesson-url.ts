/**
 * Lessons as links: the page's settings live in the URL, so that a teacher can prepare a lesson
 * and share it. `?model=cnn&epochs=3&filter=sobel-x&sections=filters,train&lock=model` opens the
 * page with those values, only those sections, and the model's control hidden. Changing a
 * setting rewrites the URL in place (no reload, no history entry).
 */

/** URL parameter → the id of the control it sets. */
export const LESSON_PARAMS: Readonly<Record<string, string>> = {
  digit: 'filter-index',
  filter: 'filter-name',
  mode: 'filter-mode',
  stride: 'filter-stride',
  speed: 'slide-speed',
  'shift-x': 'shift-x',
  'shift-y': 'shift-y',
  rotation: 'aug-rotation',
  shift: 'aug-shift',
  model: 'model-kind',
  train: 'train-size',
  epochs: 'train-epochs',
  examples: 'transfer-examples',
  'transfer-epochs': 'transfer-epochs',
  'picture-size': 'own-size',
  'picture-epochs': 'own-epochs',
};

/** `sections=` names → the heading id of each section. */
export const LESSON_SECTIONS: Readonly<Record<string, string>> = {
  backend: 'backend-title',
  digits: 'data-title',
  filters: 'filter-title',
  translation: 'aug-title',
  train: 'train-title',
  draw: 'draw-title',
  activations: 'act-title',
  vgg16: 'vgg-title',
  transfer: 'transfer-title',
  signs: 'sign-title',
  pictures: 'own-title',
};

type Control = HTMLInputElement | HTMLSelectElement;

const control = (id: string) => document.getElementById(id) as Control | null;

/** Whether `value` is one the control accepts: an option of a select, a number within bounds. */
function accepts(element: Control, value: string): boolean {
  if (element instanceof HTMLSelectElement) {
    return Array.from(element.options).some((option) => option.value === value);
  }
  if (element.type === 'number' || element.type === 'range') {
    const n = Number(value);
    const min = element.min === '' ? Number.NEGATIVE_INFINITY : Number(element.min);
    const max = element.max === '' ? Number.POSITIVE_INFINITY : Number(element.max);
    return value.trim() !== '' && Number.isFinite(n) && n >= min && n <= max;
  }
  return true;
}

/** The values the page opened with, before the URL's: only changes from them go in the link. */
const defaults = new Map<string, string>();

/** What the URL asked for and could not take, for the status line. */
export interface LessonProblems {
  ignored: string[];
}

/**
 * Sets the controls the URL names (after the controls exist, before the sections read them),
 * shows only the `sections=` it lists and hides the controls `lock=` names. Values a control
 * does not accept (an unknown filter, an epoch count out of range) are ignored and reported.
 */
export function applyLesson(search = location.search): LessonProblems {
  const params = new URLSearchParams(search);
  const ignored: string[] = [];
  for (const [param, id] of Object.entries(LESSON_PARAMS)) {
    const element = control(id);
    if (!element) continue;
    defaults.set(param, element.value);
    const value = params.get(param);
    if (value === null) continue;
    if (accepts(element, value)) element.value = value;
    else ignored.push(`${param}=${value}`);
  }
  const sections = params.get('sections');
  if (sections) {
    const shown = new Set(sections.split(',').map((s) => s.trim()));
    for (const name of shown) if (!(name in LESSON_SECTIONS)) ignored.push(`sections=${name}`);
    for (const [name, heading] of Object.entries(LESSON_SECTIONS)) {
      const section = document.getElementById(heading)?.closest('section');
      if (section) section.hidden = !shown.has(name);
    }
  }
  for (const param of (params.get('lock') ?? '').split(',').filter(Boolean)) {
    const id = LESSON_PARAMS[param];
    const element = id ? control(id) : null;
    if (!id || !element) {
      ignored.push(`lock=${param}`);
      continue;
    }
    element.hidden = true;
    element.dataset.locked = 'true';
    const label = document.querySelector<HTMLLabelElement>(`label[for="${id}"]`);
    if (label) label.hidden = true;
  }
  return { ignored };
}

/** The URL of the page as it is set now: changed settings, and the sections and locks it had. */
export function lessonUrl(): string {
  const url = new URL(location.href);
  for (const [param, id] of Object.entries(LESSON_PARAMS)) {
    const element = control(id);
    if (!element) continue;
    if (element.value === defaults.get(param)) url.searchParams.delete(param);
    else url.searchParams.set(param, element.value);
  }
  return url.href;
}

/**
 * Once the sections listen: tells them about the values the URL set (as if typed), then keeps
 * the URL in step with the controls and lets the "link to this lesson" button copy it.
 */
export function followLesson(): void {
  for (const [param, id] of Object.entries(LESSON_PARAMS)) {
    const element = control(id);
    if (!element) continue;
    if (element.value !== defaults.get(param)) {
      element.dispatchEvent(new Event('input', { bubbles: true }));
      element.dispatchEvent(new Event('change', { bubbles: true }));
    }
    const update = () => history.replaceState(history.state, '', lessonUrl());
    element.addEventListener('input', update);
    element.addEventListener('change', update);
  }
  const button = document.getElementById('lesson-link');
  const note = document.getElementById('lesson-link-status');
  button?.addEventListener('click', async () => {
    const url = lessonUrl();
    try {
      await navigator.clipboard.writeText(url);
      if (note) note.textContent = 'Copied: send it to the class.';
    } catch {
      // No clipboard (an insecure origin, a denied permission): show it to copy by hand.
      if (note) note.textContent = url;
    }
  });
}
