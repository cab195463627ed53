declare module 'lz4/lib/binding.js' {
  const binding: {
    compress(input: Buffer, output: Buffer): number;
    uncompress(input: Buffer, output: Buffer): number;
    compressBound(size: number): number;
  };
  export default binding;
}
