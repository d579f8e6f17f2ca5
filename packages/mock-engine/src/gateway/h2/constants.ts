// HTTP/2 wire constants (RFC 9113) that the gateway's frame relay reads and writes.

export const CLIENT_PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

export const FRAME_HEADER_BYTES = 9;

export const FRAME_DATA = 0x0;
export const FRAME_HEADERS = 0x1;
export const FRAME_PRIORITY = 0x2;
export const FRAME_RST_STREAM = 0x3;
export const FRAME_SETTINGS = 0x4;
export const FRAME_PUSH_PROMISE = 0x5;
export const FRAME_PING = 0x6;
export const FRAME_GOAWAY = 0x7;
export const FRAME_WINDOW_UPDATE = 0x8;
export const FRAME_CONTINUATION = 0x9;

export const FLAG_END_STREAM = 0x1;
export const FLAG_ACK = 0x1;
export const FLAG_END_HEADERS = 0x4;
export const FLAG_PADDED = 0x8;
export const FLAG_PRIORITY = 0x20;

export const ERROR_NO_ERROR = 0x0;
export const ERROR_PROTOCOL = 0x1;
export const ERROR_INTERNAL = 0x2;
export const ERROR_FLOW_CONTROL = 0x3;
export const ERROR_STREAM_CLOSED = 0x5;
export const ERROR_FRAME_SIZE = 0x6;
export const ERROR_REFUSED_STREAM = 0x7;
export const ERROR_CANCEL = 0x8;
export const ERROR_COMPRESSION = 0x9;
export const ERROR_ENHANCE_YOUR_CALM = 0xb;

export const SETTING_HEADER_TABLE_SIZE = 0x1;
export const SETTING_ENABLE_PUSH = 0x2;
export const SETTING_MAX_CONCURRENT_STREAMS = 0x3;
export const SETTING_INITIAL_WINDOW_SIZE = 0x4;
export const SETTING_MAX_FRAME_SIZE = 0x5;
export const SETTING_MAX_HEADER_LIST_SIZE = 0x6;

/** Flow-control window every connection and stream starts with. */
export const DEFAULT_WINDOW = 65_535;
export const DEFAULT_MAX_FRAME_SIZE = 16_384;
export const DEFAULT_HEADER_TABLE_SIZE = 4_096;
export const MAX_WINDOW = 2 ** 31 - 1;
export const MAX_FRAME_SIZE_LIMIT = 2 ** 24 - 1;
export const MAX_STREAM_ID = 2 ** 31 - 1;
