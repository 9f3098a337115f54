/**
 * Golden files per format over the fixed corpus (test/feeds/corpus.ts), in each image mode, and an empty feed.
 * A change of output is a change of these files, reviewed in the diff. The JSON Feed files end in `.json.txt` so that
 * the formatter leaves their bytes alone.
 */
import { describe, expect, it } from 'vitest';
import { renderFeeds } from '../../src/feeds/render.js';
import { EMPTY_META, IMAGE_MODES, META, corpus } from './corpus.js';

describe('golden feeds per format', () => {
  for (const [mode, images] of Object.entries(IMAGE_MODES)) {
    it(`every article state, image mode ${mode}`, async () => {
      const out = renderFeeds(META, corpus(), images);
      await expect(out.atom).toMatchFileSnapshot(`__golden__/atom.${mode}.xml`);
      await expect(out.rss).toMatchFileSnapshot(`__golden__/rss.${mode}.xml`);
      await expect(out.json).toMatchFileSnapshot(`__golden__/json.${mode}.json.txt`);
    });
  }

  it('in English (feed.language: en)', async () => {
    const out = renderFeeds({ ...META, language: 'en' }, corpus(), IMAGE_MODES.direct);
    await expect(out.atom).toMatchFileSnapshot('__golden__/atom.en.xml');
    await expect(out.rss).toMatchFileSnapshot('__golden__/rss.en.xml');
    await expect(out.json).toMatchFileSnapshot('__golden__/json.en.json.txt');
  });

  it('items without content, and a cover URL with `<`: dc declared, `<` escaped in the attribute', async () => {
    const items = corpus()
      .filter((a) => a.state === 'full' && !a.notice)
      .map((a) => ({ ...a, contentHtml: '', reprint: undefined, cover: 'https://x.example/a<b>"c"&d.png' }));
    const out = renderFeeds(META, items);
    await expect(out.atom).toMatchFileSnapshot('__golden__/atom.no-content.xml');
    await expect(out.rss).toMatchFileSnapshot('__golden__/rss.no-content.xml');
    await expect(out.json).toMatchFileSnapshot('__golden__/json.no-content.json.txt');
  });

  it('an empty feed', async () => {
    const out = renderFeeds(EMPTY_META, []);
    await expect(out.atom).toMatchFileSnapshot('__golden__/atom.empty.xml');
    await expect(out.rss).toMatchFileSnapshot('__golden__/rss.empty.xml');
    await expect(out.json).toMatchFileSnapshot('__golden__/json.empty.json.txt');
  });
});
