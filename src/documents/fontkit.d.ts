// fontkit ships no type declarations; Vigie only parses fonts with it and hands them to pdfkit.
declare module 'fontkit' {
  export function create(data: Uint8Array, postscriptName?: string): { layout: (...args: unknown[]) => unknown };
}
