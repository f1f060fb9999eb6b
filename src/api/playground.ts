/** The playground: one self-contained page (no external assets), served at GET /. */
export const PLAYGROUND_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Movie-review sentiment</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%231a7f37'/%3E%3Cpath d='M4.5 9.5q3.5 3 7 0' stroke='white' stroke-width='1.5' fill='none'/%3E%3C/svg%3E">
<style>
  body { font: 16px/1.5 system-ui, sans-serif; max-width: 760px; margin: 2rem auto; padding: 0 1rem; color: #1f2328; }
  h1 { font-size: 1.4rem; }
  textarea { width: 100%; min-height: 9rem; font: inherit; padding: .5rem; box-sizing: border-box; }
  button { font: inherit; padding: .4rem 1.2rem; margin-top: .5rem; cursor: pointer; }
  #result { margin-top: 1.5rem; }
  #sentiment { font-size: 1.3rem; font-weight: 600; }
  .positive { color: #1a7f37; } .negative { color: #cf222e; } .unknown { color: #57606a; }
  .bar { height: .8rem; background: #eaeef2; border-radius: .4rem; overflow: hidden; margin: .4rem 0 1rem; }
  .bar > div { height: 100%; width: 0; transition: width .2s; }
  .bar .positive { background: #2da44e; } .bar .negative { background: #e5534b; } .bar .unknown { background: #8c959f; }
  #highlighted { white-space: pre-wrap; border: 1px solid #d0d7de; border-radius: 6px; padding: .75rem; }
  mark.pos { background: #aceebb; } mark.neg { background: #ffcecb; }
  .error { color: #cf222e; }
  small, #model, .keys { color: #57606a; }
  #model { font-size: .85rem; margin: -.5rem 0 1rem; }
  kbd { font: .8rem ui-monospace, monospace; border: 1px solid #d0d7de; border-radius: 4px; padding: 0 .3rem; }
</style>
</head>
<body>
<h1>Movie-review sentiment</h1>
<p id="model" data-testid="model">Loading the model…</p>
<label for="review">Write or paste a review:</label>
<textarea id="review" placeholder="A wonderful film with a superb cast, though the ending drags.">A wonderful film with a superb cast, though the ending drags.</textarea>
<button id="analyze" type="button">Analyze</button> <span class="keys"><kbd>Ctrl</kbd>+<kbd>Enter</kbd></span>
<div id="result" hidden>
  <div id="sentiment" data-testid="sentiment"></div>
  <div class="bar" aria-hidden="true"><div id="bar"></div></div>
  <div id="confidence"></div>
  <p><small>Highlighted: the n-grams that pushed hardest towards
    <mark class="pos">positive</mark> and <mark class="neg">negative</mark>.</small></p>
  <div id="highlighted"></div>
</div>
<p id="error" class="error" role="alert" hidden></p>
<script>
const $ = (id) => document.getElementById(id);
const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => '&#' + c.charCodeAt(0) + ';');
const escapeRegExp = (s) => s.replace(/[.*+?^\${}()|[\\]\\\\]/g, '\\\\$&');

function highlight(text, explanation) {
  const marks = [];
  const add = (items, cls) => items.forEach(({ ngram }) => {
    const words = ngram.split(' ').map(escapeRegExp).join('[^\\\\p{L}\\\\p{N}_]+');
    const re = new RegExp('(?<![\\\\p{L}\\\\p{N}_])' + words + '(?![\\\\p{L}\\\\p{N}_])', 'giu');
    for (const m of text.matchAll(re)) marks.push({ start: m.index, end: m.index + m[0].length, cls });
  });
  add(explanation.positive, 'pos');
  add(explanation.negative, 'neg');
  marks.sort((a, b) => a.start - b.start || b.end - a.end);
  let html = '', at = 0;
  for (const m of marks) {
    if (m.start < at) continue;
    html += escapeHtml(text.slice(at, m.start)) + '<mark class="' + m.cls + '">' + escapeHtml(text.slice(m.start, m.end)) + '</mark>';
    at = m.end;
  }
  return html + escapeHtml(text.slice(at));
}

const HUMAN = {
  empty_review: 'Write a review first.',
  review_too_long: 'That review is too long for the service; shorten it.',
  payload_too_large: 'That review is too long for the service; shorten it.',
  model_unavailable: 'The model is not loaded yet. Try again in a moment.',
  invalid_encoding: 'The text could not be read as UTF-8.',
};

async function showModel() {
  try {
    const response = await fetch('health');
    const body = await response.json();
    $('model').textContent = response.ok && body.model
      ? 'Model ' + body.modelVersion.slice(0, 12) + ': ' + body.model.summary + (body.model.sample ? '. See the README for the full model.' : '.')
      : 'The model is not loaded: predictions will fail until it is.';
  } catch (error) {
    $('model').textContent = 'The service cannot be reached.';
  }
}

async function analyze() {
  const review = $('review').value;
  $('error').hidden = true;
  $('result').hidden = true;
  $('analyze').disabled = true;
  $('analyze').textContent = 'Analyzing…';
  try {
    const response = await fetch('predict', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ review, explain: true, top: 5 }),
    });
    const body = await response.json();
    if (!response.ok) throw new Error(body.error ? (HUMAN[body.error.code] || body.error.message) : 'HTTP ' + response.status);
    const pct = Math.round(body.confidence * 1000) / 10;
    const coverage = Math.round(body.coverage * 100);
    // An abstained answer is not a verdict: grey "can't tell", whatever the leaning.
    const shown = body.abstained ? 'unknown' : body.sentiment;
    $('sentiment').textContent = body.abstained ? "can't tell" : body.sentiment;
    $('sentiment').className = shown;
    $('bar').className = shown;
    $('bar').style.width = pct + '%';
    $('confidence').textContent = body.abstained
      ? (body.priorOnly ? 'No word of this text is known to the model.' : 'The model knows only ' + coverage + '% of this text, too little to tell.')
        + (body.sentiment === 'unknown' ? '' : ' It leans ' + body.sentiment + ' (' + pct + '%).')
      : 'Confidence ' + pct + '% · the model knows ' + coverage + '% of the text';
    $('highlighted').innerHTML = highlight(review, body.explanation);
    $('result').hidden = false;
  } catch (error) {
    $('error').textContent = error.message;
    $('error').hidden = false;
  } finally {
    $('analyze').disabled = false;
    $('analyze').textContent = 'Analyze';
  }
}
$('analyze').addEventListener('click', analyze);
showModel();
$('review').addEventListener('keydown', (e) => { if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) analyze(); });
</script>
</body>
</html>
`;
