// Stand-in for parts of axios's Node adapter and API that no request of ours reaches: data: URLs (the one-origin
// rule refuses them before axios sees a URL), upload/download progress and rate limits (never configured), the legacy
// CancelToken (we cancel with AbortSignal) and form-to-JSON (we send string bodies). Called or constructed, it fails
// loudly instead of doing something else.
export default function unusedAxiosFeature(): never {
  throw new Error('API Auth Explorer does not use this part of axios (data: URLs, progress, rate limits, CancelToken, forms)');
}
export const progressEventReducer = unusedAxiosFeature;
export const progressEventDecorator = unusedAxiosFeature;
export const asyncDecorator = unusedAxiosFeature;
export const estimateDataURLBufferAllocation = unusedAxiosFeature;
