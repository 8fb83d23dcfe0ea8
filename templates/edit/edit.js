// hmip-letter edit: what the page adds when JavaScript runs. Every form
// works without it (plain submit buttons); this adds saving as you type
// and the live preview. User text only ever goes into form values and
// the request body, never into the page as HTML.
import { ErrorSummary, initAll } from './govuk-frontend.min.js'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()

const form = document.querySelector('form[data-autosave]')
if (form) {
  // `form.action` would be the buttons named action: the attribute it is.
  const target = form.getAttribute('action')
  const status = document.getElementById('save-status')
  const frame = document.querySelector('.edit-preview__frame')
  let dirty = false
  let saving = false
  let refresh = null
  let lastField = ''

  const say = (text) => { if (status) status.textContent = text }
  const fields = () => new URLSearchParams(new FormData(form))

  // One save at a time; typing during a save is sent when it is done.
  async function save () {
    if (saving) { dirty = true; return }
    saving = true
    dirty = false
    clearTimeout(refresh)
    try {
      const response = await fetch(target, {
        method: 'POST',
        body: fields(),
        headers: { 'X-Autosave': '1' },
        credentials: 'same-origin'
      })
      const answer = await response.json()
      if (answer.saved) {
        form.elements.version.value = answer.version
        say('Saved')
      } else {
        say('Not saved: ' + answer.message)
        if (response.status === 409) { dirty = false }
      }
    } catch (error) {
      dirty = true
      say('Not saved: the editor does not answer. Is it still running?')
    }
    saving = false
    if (dirty) {
      save()
    } else {
      refresh = setTimeout(update, 300)
    }
  }

  // After a pause: the checks' messages at their fields, and the preview.
  async function update () {
    if (saving || dirty) return
    try {
      const response = await fetch(window.location.pathname, { credentials: 'same-origin' })
      const page = new DOMParser().parseFromString(await response.text(), 'text/html')
      const summary = page.getElementById('error-summary-slot')
      const here = document.getElementById('error-summary-slot')
      if (summary && here) {
        here.replaceChildren(...summary.childNodes)
        // Its links move the focus to their fields, without taking the
        // focus from the field being typed in now.
        const fresh = here.querySelector('[data-module="govuk-error-summary"]')
        if (fresh) new ErrorSummary(fresh, { disableAutoFocus: true })
      }
      for (const group of form.querySelectorAll('[data-field]')) {
        const fresh = page.querySelector(`[data-field="${group.dataset.field}"]`)
        if (fresh) messages(group, fresh)
      }
    } catch (error) {
      return
    }
    if (frame && frame.contentWindow) {
      const y = frame.contentWindow.scrollY
      // A commentary paragraph is shown where the letter numbers it.
      const numbered = /^f:commentary\[(\d+)\]\.paragraphs\[(\d+)\]$/.exec(lastField)
      const id = numbered && `paragraph-${Number(numbered[1]) + 1}-${Number(numbered[2]) + 1}`
      frame.addEventListener('load', () => {
        const shown = id && frame.contentDocument && frame.contentDocument.getElementById(id)
        const view = frame.contentWindow
        // Scrolling the preview alone, not the page around it.
        if (shown) view.scrollTo(0, shown.getBoundingClientRect().top + view.scrollY - 80)
        else view.scrollTo(0, y)
      }, { once: true })
      // A new load, not a reload, which would put back the old scroll.
      frame.contentWindow.location.replace('/preview?at=' + Date.now())
    }
  }

  // Takes a field's error message (and its error styles) from the page as
  // the server now writes it, leaving the field itself, and what is being
  // typed in it, alone.
  function messages (group, fresh) {
    const old = group.querySelector(':scope .govuk-form-group')
    const now = fresh.querySelector(':scope .govuk-form-group')
    if (!old || !now) return
    old.className = now.className
    for (const message of old.querySelectorAll(':scope > .govuk-error-message, :scope > fieldset > .govuk-error-message')) message.remove()
    const newMessage = now.querySelector(':scope > .govuk-error-message, :scope > fieldset > .govuk-error-message')
    const control = old.querySelector(':scope > input, :scope > textarea, :scope > fieldset > .govuk-date-input, :scope > fieldset > .govuk-radios')
    if (newMessage && control) control.before(document.importNode(newMessage, true))
    for (const input of old.querySelectorAll('input, textarea, fieldset')) {
      const match = input.id ? now.querySelector(`#${CSS.escape(input.id)}`) : (input.tagName === 'FIELDSET' ? now.querySelector('fieldset') : null)
      if (!match) continue
      for (const name of ['class', 'aria-describedby']) {
        if (match.hasAttribute(name)) input.setAttribute(name, match.getAttribute(name))
        else input.removeAttribute(name)
      }
    }
  }

  form.addEventListener('input', (event) => { lastField = event.target.name || ''; dirty = true; save() })
  form.addEventListener('change', () => { dirty = true; save() })

  // A tab closed (or left) before the last save was sent sends it now.
  window.addEventListener('pagehide', () => {
    if (dirty || saving) navigator.sendBeacon(target, fields())
  })

  // After a button added or moved a paragraph, the page opens at it.
  const opened = window.location.hash && document.getElementById(window.location.hash.slice(1))
  if (opened && opened.matches('input, textarea')) opened.focus()
}
