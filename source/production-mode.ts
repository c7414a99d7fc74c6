/*
React runs its development build unless NODE_ENV says otherwise, and that build draws a frame of
the dashboard about twice as slowly (measured with bench/frame-time.tsx). Imported first by the
CLI, before anything loads React; a NODE_ENV the user set is kept.
*/
process.env.NODE_ENV ??= 'production';
