// Project configs cannot set testTimeout in jest 29; integration and e2e tests wait on real infrastructure.
jest.setTimeout(60000);
