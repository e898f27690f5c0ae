// Stand-in for axios.HttpStatusCode (an enum of names for statuses, lib/helpers/HttpStatusCode.js): nothing of ours
// reads it; statuses are numbers throughout.
export default Object.freeze({});
