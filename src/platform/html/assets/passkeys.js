// Passkeys on the partner portal (@simplewebauthn/browser, loaded before this file as the global
// SimpleWebAuthnBrowser). Sign-in: the "passkey" button on /doi-tac/dang-nhap. Adding: the form on
// /doi-tac/bao-mat. Without JavaScript (or WebAuthn) the buttons stay hidden and the e-mail link
// still works. No text lives here: messages come from data-* attributes and the server's errors.
;(() => {
  const lib = window.SimpleWebAuthnBrowser
  const supported = !!lib && lib.browserSupportsWebAuthn()
  const lang = document.documentElement.lang === 'en' ? 'en' : 'vi'

  const csrf = () => {
    const field = document.querySelector('input[name="_csrf"]')
    return field ? field.value : ''
  }
  const post = async (url, body) => {
    const res = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf() },
      body: JSON.stringify(body || {}),
    })
    const data = await res.json().catch(() => ({}))
    if (!res.ok) {
      const message = data?.error?.message ? data.error.message[lang] : ''
      throw Object.assign(new Error(message || String(res.status)), { fromServer: !!message })
    }
    return data
  }
  const say = (el, text, isError) => {
    if (!el) return
    el.textContent = text
    el.hidden = !text
    el.className = isError ? 'pk alert error' : 'pk alert ok'
    el.setAttribute('role', isError ? 'alert' : 'status')
  }
  // A cancelled or refused ceremony is the browser's NotAllowedError; the server's refusals carry
  // their own message in the page's language.
  const failure = (el, e) => say(el, e.fromServer ? e.message : el.getAttribute('data-cancelled') || e.message, true)

  const signIn = document.getElementById('passkey-signin')
  if (signIn) {
    const status = document.getElementById('passkey-status')
    if (!supported) {
      say(status, signIn.getAttribute('data-unsupported') || '', false)
    } else {
      signIn.hidden = false
      signIn.addEventListener('click', async () => {
        signIn.disabled = true
        say(status, signIn.getAttribute('data-working') || '', false)
        try {
          const optionsJSON = await post(signIn.getAttribute('data-options'))
          const response = await lib.startAuthentication({ optionsJSON })
          const done = await post(signIn.getAttribute('data-verify'), { response })
          window.location.assign(done.redirect || '/doi-tac')
        } catch (e) {
          failure(status, e)
          signIn.disabled = false
        }
      })
    }
  }

  const add = document.getElementById('passkey-add')
  if (add) {
    const status = document.getElementById('passkey-add-status')
    const note = document.getElementById('passkey-needs-script')
    if (supported) {
      add.hidden = false
      if (note) note.hidden = true
      add.addEventListener('submit', async (event) => {
        event.preventDefault()
        const button = add.querySelector('button[type="submit"]')
        const name = add.querySelector('input[name="name"]').value
        if (button) button.disabled = true
        say(status, add.getAttribute('data-working') || '', false)
        try {
          const optionsJSON = await post(add.getAttribute('data-options'))
          const response = await lib.startRegistration({ optionsJSON })
          const done = await post(add.getAttribute('action'), { name, response })
          window.location.assign(done.redirect || window.location.pathname)
        } catch (e) {
          failure(status, e)
          if (button) button.disabled = false
        }
      })
    }
  }
})()
