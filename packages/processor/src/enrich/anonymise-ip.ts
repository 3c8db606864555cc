// The rule lives in @spoor/infra because the collector applies it before anything reaches the log, and the
// processor applies it again (a no-op on an address the collector truncated already) before anything is stored.
export { anonymiseIp, DEFAULT_IP_ANONYMISATION, type IpAnonymisation } from '@spoor/infra';
