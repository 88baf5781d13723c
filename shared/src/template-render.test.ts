import { describe, expect, it } from 'vitest';
import { countTemplateParams, renderTemplateText } from './template-render.ts';

describe('template rendering', () => {
  const body = 'New message from {{1}} on {{2}}: {{3}} — reply to this message to answer.';
  it('counts positional parameters', () => {
    expect(countTemplateParams(body)).toBe(3);
    expect(countTemplateParams('Hello {{1}}! {{1}} again')).toBe(1);
    expect(countTemplateParams('no params')).toBe(0);
  });
  it('fills parameters and leaves missing ones visible', () => {
    expect(renderTemplateText(body, ['Ana', 'example.com', 'Hi'])).toBe('New message from Ana on example.com: Hi — reply to this message to answer.');
    expect(renderTemplateText('Hi {{1}} and {{2}}', ['A'])).toBe('Hi A and {{2}}');
  });
});
