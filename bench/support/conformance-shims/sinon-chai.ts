/** `sinon-chai` for the web3.js suite: a chai plugin that adds nothing (sinon is not installed). */
export default function sinonChai(): void {}
