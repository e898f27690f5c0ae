// Fixed bodies of the datarhei Core mock (datarhei.ts): the server's about, its error bodies as captured from a real
// Core v16.16, and the ffmpeg filters listed in `GET /api/v3/skills`.

export const ABOUT = {
  name: 'nameless-snowflake-2665',
  id: '9e914d54-6a1c-458e-a765-2436f1ad5c8c',
  version: {
    number: '16.16.0',
    repository_commit: '0de97f4a6b2e390ebde9ff702b95de3260119566',
    repository_branch: 'main',
    build_date: '',
    arch: 'linux/amd64',
    compiler: 'go1.23.5',
  },
};

/** A few of ffmpeg's filters, as listed in `GET /api/v3/skills`. */
export const SKILL_FILTERS: [string, string][] = [
  ['scale', 'Scale the input video size and/or convert the image format.'],
  ['fps', 'Force constant framerate.'],
  ['format', 'Convert the input video to one of the specified pixel formats.'],
  ['overlay', 'Overlay a video source on top of the input.'],
  ['drawtext', 'Draw text on top of video frames using libfreetype library.'],
  ['crop', 'Crop the input video.'],
  ['pad', 'Pad the input video.'],
  ['yadif', 'Deinterlace the input image.'],
  ['volume', 'Change input volume.'],
  ['aresample', 'Resample audio data.'],
  ['loudnorm', 'EBU R128 loudness normalization'],
  ['setpts', 'Set PTS for the output video frame.'],
];

export const INVALID_JWT = { code: 401, message: 'Unauthorized', details: ['Missing or invalid JWT token'] };
export const BAD_CREDENTIALS = { code: 401, message: 'Unauthorized', details: ['Invalid authorization credentials: invalid username or password'] };
export const MISSING_CREDENTIALS = { code: 400, message: 'Bad Request', details: ['Missing authorization credentials'] };
