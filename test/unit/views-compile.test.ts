import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import Handlebars from 'handlebars';
import { VIEWS_DIR, compileOptions } from '../../src/web/view-engine';

/**
 * Views are compiled with the helpers they may call declared (knownHelpersOnly), so a view calling
 * a helper that does not exist, with arguments, fails to compile: every view is compiled here, not
 * only those the HTTP tests happen to render.
 */
describe('views', () => {
  const files = readdirSync(VIEWS_DIR, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.hbs'));
  it('are found', () => assert.ok(files.length > 30, `${files.length} views`));
  for (const file of files) {
    it(`${file} compiles with the known helpers only`, () => {
      const template = Handlebars.precompile(readFileSync(path.join(VIEWS_DIR, file), 'utf8'), compileOptions);
      assert.ok(String(template).length > 0);
    });
  }
  it('refuses a call to a helper nobody registered', () => {
    assert.throws(() => Handlebars.precompile('{{nosuchhelper a}}', compileOptions), /nosuchhelper/);
    assert.throws(() => Handlebars.precompile('{{#nosuchhelper a}}x{{/nosuchhelper}}', compileOptions), /nosuchhelper/);
  });
  it('reads a name without arguments as data, as before (a block over data, a value)', () => {
    const render = Handlebars.compile('{{#items}}[{{this}}]{{/items}} {{title}}', compileOptions);
    assert.equal(render({ items: ['a', 'b'], title: 'T' }), '[a][b] T');
  });
});
