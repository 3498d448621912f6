import { html, raw } from '../../src/web/html';

describe('html templates', () => {
  it('escapes interpolated values by default', () => {
    const name = `<script>alert("x")</script> & 'co'`;
    expect(html`<p>${name}</p>`.value).toBe('<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;</p>');
  });

  it('keeps nested templates and raw markup, joins arrays and drops empty values', () => {
    const items = ['a<b', 'c'].map((item) => html`<li>${item}</li>`);
    expect(html`<ul>${items}</ul>${raw('<hr>')}${undefined}${false}${null}`.value).toBe('<ul><li>a&lt;b</li><li>c</li></ul><hr>');
  });
});
