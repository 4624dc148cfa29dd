/** Fixed, obviously fake identities of the fake CI service. None of them is a real Tencent Cloud resource. */

/** A key pair the fake service accepts by default. Fake: it signs requests for the fake service only. */
export const DEMO_CREDENTIALS: { readonly secretId: string; readonly secretKey: string } = Object.freeze({
  secretId: 'AKIDcloudinfinitedemo000000000000000',
  secretKey: 'cloudinfinitedemosecretkey000000',
});

/** The demo bucket (`BucketName-APPID`) seeded jobs write their outputs to. */
export const DEMO_BUCKET = 'examplebucket-1250000000';

/** The demo bucket's region. */
export const DEMO_REGION = 'ap-beijing';

/** The demo queue: `p` + 32 hex digits, the id seeded jobs are in unless told otherwise. */
export const DEMO_QUEUE_ID = 'pc0ffee00c0ffee00c0ffee00c0ffee00';

/** Offset of the times the fake service writes (CreationTime…), minutes east of UTC: +0800, as CI does. */
export const CI_OFFSET_MINUTES = 480;
