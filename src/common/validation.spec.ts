import { inspectInput, MAX_INPUT_DEPTH } from './validation.js';

describe('inspectInput', () => {
  it('finds the first string holding U+0000, by its path', () => {
    expect(inspectInput({ a: 'ok', b: [{ c: 'x\u0000' }] })).toEqual({ nulPath: 'b[0].c', tooDeep: false });
    expect(inspectInput('x\u0000')).toEqual({ nulPath: 'body', tooDeep: false });
    expect(inspectInput({ a: ['ok', 1, null] })).toEqual({ tooDeep: false });
  });

  it('stops at a nesting deeper than the contract defines, without recursion', () => {
    const nest = (depth: number) => {
      let value: unknown = 'fond';
      for (let level = 0; level < depth; level += 1) value = { x: value };
      return value;
    };
    expect(inspectInput(nest(MAX_INPUT_DEPTH)).tooDeep).toBe(false);
    expect(inspectInput(nest(MAX_INPUT_DEPTH + 1)).tooDeep).toBe(true);
    // Far deeper than the stack would take recursively.
    expect(inspectInput(nest(200_000)).tooDeep).toBe(true);
  });
});
