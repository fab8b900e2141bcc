// The visual check of a rendered page (tests/suite/browser_visual.rs): returns the
// problems a reader would see, one line each. Evaluated in headless Chromium as an
// expression. `window.__screenWidth` is the emulated screen's width (a phone's layout
// viewport grows to fit a page that overflows, so innerWidth would hide it).
(() => {
  const problems = [];
  const W = window.__screenWidth || window.innerWidth;
  const allowedCut = ['.brand', '.skip-link'];
  // The search box's key hint sits on the box on purpose.
  const allowedOverlap = ['.search-key'];
  const SMALLEST = 11;
  const describe = (el) => {
    const cls = typeof el.className === 'string' && el.className.trim()
      ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    return el.tagName.toLowerCase() + cls + ' "' + (el.textContent || '').trim().replace(/\s+/g, ' ').slice(0, 40) + '"';
  };
  const matches = (el, list) => list.some((s) => el.closest(s));
  // Not shown: hidden, in a closed <details> (Chromium still lays its content out),
  // or inside a box of 1 px or less that clips it (text for screen readers only).
  const hidden = (el) => {
    if (el.closest('script, style, noscript, title, desc, [hidden]')) return true;
    for (let a = el; a; a = a.parentElement) {
      if (a.tagName === 'DETAILS' && !a.open && !el.closest('summary')?.parentElement?.isSameNode(a)) return true;
      if (a instanceof HTMLElement && getComputedStyle(a).overflow !== 'visible') {
        const r = a.getBoundingClientRect();
        if (r.width <= 1 || r.height <= 1) return true;
      }
    }
    return false;
  };

  // 1. Horizontal overflow of the page.
  const width = document.documentElement.scrollWidth;
  if (width > W) problems.push(`overflow: the page is ${width} px wide on a ${W} px screen`);

  // Text nodes as the reader sees them: their boxes, their element, their size.
  const texts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: (n) => (n.textContent.trim() ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT),
  });
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const el = n.parentElement;
    if (!el || hidden(el)) continue;
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || parseFloat(style.opacity) === 0) continue;
    const range = document.createRange();
    range.selectNodeContents(n);
    const rects = [...range.getClientRects()].filter((r) => r.width > 0.5 && r.height > 0.5);
    if (!rects.length) continue;
    texts.push({ el, rects });

    // 4. Text smaller than 11 px, SVG text at the size it is drawn.
    let px = parseFloat(style.fontSize);
    const svgText = el.closest('svg') && el.getScreenCTM ? el : null;
    if (svgText) px *= svgText.getScreenCTM().a;
    if (px < SMALLEST - 0.05) problems.push(`small text: ${px.toFixed(1)} px ${describe(el)}`);

    if (matches(el, allowedCut)) continue;
    // 2. Text cut off: outside an ancestor that clips, or out of the screen sideways
    // where nothing scrolls to it.
    for (const r of rects) {
      let clipped = null;
      let scrolls = false;
      for (let a = el; a && a !== document.body; a = a.parentElement) {
        const s = getComputedStyle(a);
        const box = a.getBoundingClientRect();
        const clipsX = s.overflowX !== 'visible';
        const clipsY = s.overflowY !== 'visible';
        if (clipsX || clipsY) {
          if (s.overflowX === 'auto' || s.overflowX === 'scroll') scrolls = true;
          if (!scrolls && ((clipsX && (r.left < box.left - 1 || r.right > box.right + 1)) ||
              (clipsY && (r.top < box.top - 1 || r.bottom > box.bottom + 1)))) {
            clipped = a;
            break;
          }
        }
      }
      if (clipped) {
        problems.push(`cut off: ${describe(el)} by ${describe(clipped)}`);
        break;
      }
      if (!scrolls && (r.right > W + 1 || r.left < -1)) {
        problems.push(`cut off: ${describe(el)} is outside the screen (${Math.round(r.left)}–${Math.round(r.right)} px)`);
        break;
      }
    }
    // An ellipsis where the text does not fit.
    if (style.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) {
      problems.push(`cut off: ${describe(el)} ends in an ellipsis`);
    }
    if (svgText) {
      if (/…$/.test(el.textContent.trim())) problems.push(`cut off: chart label ${describe(el)} ends in an ellipsis`);
      const box = el.closest('svg').getBoundingClientRect();
      const r = el.getBoundingClientRect();
      if (r.left < box.left - 1 || r.right > box.right + 1) problems.push(`cut off: chart label ${describe(el)} is outside its chart`);
    }
  }

  // 3. Overlapping boxes: text on text, and text under an image, chart or control it
  // is not part of.
  const boxes = texts.flatMap((t) => t.rects.map((r) => ({ el: t.el, r, text: true })));
  for (const el of document.querySelectorAll('img, svg, input, select, button, textarea')) {
    if (hidden(el) || el.closest('svg') !== null && el.tagName.toLowerCase() !== 'svg') continue;
    const r = el.getBoundingClientRect();
    if (r.width > 1 && r.height > 1 && getComputedStyle(el).visibility !== 'hidden') boxes.push({ el, r, text: false });
  }
  boxes.sort((a, b) => a.r.top - b.r.top);
  const reported = new Set();
  for (let i = 0; i < boxes.length; i++) {
    const a = boxes[i];
    for (let j = i + 1; j < boxes.length && boxes[j].r.top < a.r.bottom; j++) {
      const b = boxes[j];
      if (!a.text && !b.text) continue;
      if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const allowed = [...allowedOverlap, ...allowedCut];
      if (matches(a.el, allowed) || matches(b.el, allowed)) continue;
      const w = Math.min(a.r.right, b.r.right) - Math.max(a.r.left, b.r.left);
      const h = Math.min(a.r.bottom, b.r.bottom) - Math.max(a.r.top, b.r.top);
      if (w > 2 && h > 2) {
        const key = describe(a.el) + ' / ' + describe(b.el);
        if (!reported.has(key)) {
          reported.add(key);
          problems.push(`overlap: ${key}`);
        }
      }
    }
  }

  // A placeholder cut off: wider than its box, or under something drawn on the box
  // (the search box's key hint).
  const measure = document.createElement('canvas').getContext('2d');
  for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    if (input.value || hidden(input)) continue;
    const s = getComputedStyle(input);
    const box = input.getBoundingClientRect();
    if (s.visibility === 'hidden' || box.width <= 1) continue;
    measure.font = s.font;
    const need = measure.measureText(input.placeholder).width;
    const left = box.left + parseFloat(s.borderLeftWidth) + parseFloat(s.paddingLeft);
    const room = input.clientWidth - parseFloat(s.paddingLeft) - parseFloat(s.paddingRight);
    if (need > room + 1) {
      problems.push(`cut off: the placeholder "${input.placeholder}" needs ${Math.ceil(need)} px, its box has ${Math.floor(room)}`);
      continue;
    }
    const text = { left, right: left + need, top: box.top, bottom: box.bottom };
    for (const el of input.parentElement.children) {
      if (el === input || hidden(el) || getComputedStyle(el).display === 'none') continue;
      const r = el.getBoundingClientRect();
      if (r.width > 1 && r.left < text.right && r.right > text.left && r.top < text.bottom && r.bottom > text.top) {
        problems.push(`cut off: the placeholder "${input.placeholder}" is under ${describe(el)}`);
      }
    }
  }

  // A box that scrolls sideways without a sign of it: on a phone no scrollbar shows,
  // so the theme shades the edge beyond which there is more (a background that moves
  // with the content).
  for (const el of document.querySelectorAll('body *')) {
    const s = getComputedStyle(el);
    if (s.overflowX !== 'auto' && s.overflowX !== 'scroll') continue;
    if (el.scrollWidth <= el.clientWidth + 1 || el.clientWidth <= 1 || hidden(el)) continue;
    if (!s.backgroundAttachment.split(',').some((a) => a.trim() === 'local')) {
      problems.push(`hidden scroll: ${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth}) with no sign of it`);
    }
  }

  // The status of an action item is on screen at every width, not in a scrolled-off
  // column.
  for (const el of document.querySelectorAll('.actions .ai-status')) {
    const r = el.getBoundingClientRect();
    let box = { left: 0, right: W };
    for (let a = el.parentElement; a; a = a.parentElement) {
      const s = getComputedStyle(a);
      if (s.overflowX === 'auto' || s.overflowX === 'scroll' || s.overflowX === 'hidden') {
        box = a.getBoundingClientRect();
        break;
      }
    }
    if (r.right > Math.min(box.right, W) + 1) {
      problems.push(`status off-screen: ${describe(el)} ends at ${Math.round(r.right)} px`);
      break;
    }
  }
  return problems;
})()
