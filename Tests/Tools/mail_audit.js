// Measures a mail's HTML as Chromium laid it out inside an iframe of the reader's width:
// sideways overflow, the contrast of every visible piece of text (WCAG 2.x), the size of
// links, and the direction of chosen blocks. HeadlessChromium.audit (GazetteTestSupport)
// loads it beside the mail and reads back `auditMail(frame, titles)` as JSON.

function parseColour(text) {
  const m = text.match(/rgba?\(([^)]+)\)/);
  if (!m) return [0, 0, 0, 0];
  const parts = m[1].split(/[ ,\/]+/).filter(Boolean).map(Number);
  return [parts[0], parts[1], parts[2], parts.length > 3 ? parts[3] : 1];
}

// `top` drawn over the opaque `under`.
function over(top, under) {
  const a = top[3];
  return [0, 1, 2].map(i => top[i] * a + under[i] * (1 - a)).concat([1]);
}

function luminance(c) {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function ratio(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

// The colour behind an element: its and its ancestors' backgrounds, nearest on top, over the
// page's canvas (dark when the page's colour scheme is dark).
function backgroundOf(element, canvas) {
  const layers = [];
  for (let e = element; e; e = e.parentElement) {
    const c = parseColour(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let colour = canvas;
  for (let i = layers.length - 1; i >= 0; i--) colour = over(layers[i], colour);
  return colour;
}

function auditMail(frame, titles) {
  const doc = frame.contentDocument;
  const win = frame.contentWindow;
  const probe = doc.createElement('div');
  probe.style.cssText = 'background:Canvas;position:absolute;width:1px;height:1px';
  doc.documentElement.appendChild(probe);
  const canvas = parseColour(win.getComputedStyle(probe).backgroundColor);
  probe.remove();

  const texts = [];
  const failures = [];
  const walker = doc.createTreeWalker(doc.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const content = node.textContent.replace(/[\s\u034f\u200c]+/g, ' ').trim();
    if (!content) continue;
    const element = node.parentElement;
    const range = doc.createRange();
    range.selectNodeContents(node);
    const rects = Array.from(range.getClientRects()).filter(r => r.width > 0 && r.height > 0);
    const style = win.getComputedStyle(element);
    if (!rects.length || style.visibility !== 'visible') continue;
    let hidden = false;
    for (let e = element; e; e = e.parentElement) if (Number(win.getComputedStyle(e).opacity) === 0) hidden = true;
    if (hidden) continue;
    const background = backgroundOf(element, canvas);
    const foreground = over(parseColour(style.color), background);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    const needed = large ? 3 : 4.5;
    const measured = ratio(foreground, background);
    const entry = {
      text: content.slice(0, 60), ratio: Math.round(measured * 100) / 100, needed,
      colour: style.color, background: 'rgb(' + background.slice(0, 3).map(Math.round).join(', ') + ')',
    };
    texts.push(entry);
    if (measured < needed) failures.push(entry);
  }

  const smallLinks = [];
  for (const link of doc.querySelectorAll('a[href]')) {
    if (link.closest('h3') || link.querySelector('img')) continue;  // headlines: the whole line is the link
    const r = link.getBoundingClientRect();
    if (r.width === 0 && r.height === 0) continue;
    if (r.width < 24 || r.height < 24) {
      smallLinks.push({ text: link.textContent.trim().slice(0, 40), width: Math.round(r.width), height: Math.round(r.height) });
    }
  }

  const blocks = [];
  for (const heading of doc.querySelectorAll('h1, h3')) {
    const wanted = titles.find(t => heading.textContent.includes(t));
    if (!wanted) continue;
    const style = win.getComputedStyle(heading);
    const box = heading.getBoundingClientRect();
    const contentRight = box.right - parseFloat(style.paddingRight);
    const contentLeft = box.left + parseFloat(style.paddingLeft);
    // The rectangle of the headline's first character, wherever the bidi algorithm put it.
    const walk = doc.createTreeWalker(heading, NodeFilter.SHOW_TEXT);
    let first = null;
    for (let node = walk.nextNode(); node && !first; node = walk.nextNode()) {
      const index = node.textContent.search(/\S/);
      if (index < 0) continue;
      const range = doc.createRange();
      range.setStart(node, index);
      range.setEnd(node, index + 1);
      first = range.getBoundingClientRect();
    }
    blocks.push({
      title: wanted, direction: style.direction, textAlign: style.textAlign,
      firstCharacterRight: first ? first.right : -1, firstCharacterLeft: first ? first.left : -1,
      contentRight, contentLeft,
    });
  }

  return {
    viewportWidth: doc.documentElement.clientWidth,
    scrollWidth: doc.documentElement.scrollWidth,
    // Where the mail's content ends (the document itself is as tall as the frame).
    height: Math.ceil(Math.max(0, ...Array.from(doc.body.children, e => e.getBoundingClientRect().bottom))),
    prefersDark: win.matchMedia('(prefers-color-scheme: dark)').matches,
    styleBlocks: doc.querySelectorAll('style').length,
    texts: texts.length,
    failures,
    smallLinks,
    blocks,
  };
}
