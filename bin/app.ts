#!/usr/bin/env node
import { App } from 'aws-cdk-lib';
import { addExampleStacks } from '../examples';

// The CDK app of the repository: every example stack, checked by cdk-nag at synth.
// `npx cdk synth` synthesizes them all offline; see README.md for deploying one.
const app = new App();
addExampleStacks(app);
app.synth();
